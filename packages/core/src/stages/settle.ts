import { recallEvent, rememberEvent } from '../job/applied-events';
import { assertAnswerFor } from '../job/job-id';
import { findConflict, readApiObject, readEvent, type ConflictReason, type EventReading } from '../job/job-observation';
import { applyObservation, type JobObservation, type JobState, type JobTransition } from '../job/job-state-machine';
import type { ConflictReport, ResolvedReceiverOptions } from '../receiver/receiver-options';
import type { DeliveryTrace } from '../observability/telemetry';
import type { WebhookEvent } from '../wire/schemas';
import type { JobStore } from '../job/job-store';
import { updateJob } from '../job/update-job';
import { storeFailure } from '../errors/store-failure';
import { WebhookError, isWebhookError, type WebhookErrorCode } from '../errors/webhook-error';

/** What settling one event produced: the job state and how it got there. */
export interface SettledEvent {
  readonly job: JobState;
  readonly transition: JobTransition;
  readonly reconciled: boolean;
  readonly conflict: ConflictReport | undefined;
}

// What the Video API said when asked: its state, or the final (non-retryable) error.
interface ApiAnswer {
  readonly authority?: JobObservation;
  readonly apiError?: WebhookError;
}

// API answers that do not fail the delivery: the monotonic rules decide and the conflict is
// reported. Everything else (5xx, 408/425/429, timeouts, network, credentials) answers 503.
const FINAL_API_ERRORS: ReadonlySet<WebhookErrorCode> = new Set([
  'api_not_found',
  'api_not_implemented',
  'api_client_error',
  'api_invalid_response',
]);

/**
 * The settle stage: compare the event with the stored job, ask the Video API when they disagree
 * (or always), and apply the result atomically through the state machine. A disagreement can also
 * show up only at write time, when another worker changed the job meanwhile (two instances
 * racing); it is then reconciled the same way, so the outcome never depends on which write won.
 *
 * The job remembers the transition each webhook event caused ({@link rememberEvent}): when an
 * event is delivered again because its handlers failed, it is not applied twice and its handlers
 * see the same `previous` and `changed` as on the first attempt.
 *
 * @example
 * ```ts
 * const settle = createSettler(resolveReceiverOptions({ secret, api }, nodeRuntime));
 * const { job, conflict } = await settle(event); // or settle(event, transaction.jobs, trace)
 * ```
 */
export function createSettler(
  opts: ResolvedReceiverOptions,
): (event: WebhookEvent, jobs?: JobStore, trace?: DeliveryTrace) => Promise<SettledEvent> {
  const mayAsk = opts.api !== undefined && opts.reconcile !== 'never';
  const wantsApi = (reason: ConflictReason | undefined) =>
    mayAsk && (opts.reconcile === 'always' || reason !== undefined);
  const askApi = (observation: JobObservation, trace: DeliveryTrace | undefined) =>
    askVideoApi(opts, observation, trace);

  return async (event, jobs = opts.jobs, trace) => {
    const apply = (id: string, step: (current: JobState | undefined, now: Date) => JobTransition) =>
      writeJob(jobs, new Date(opts.now()), id, step);
    const reading = readEvent(event);
    const { id } = reading.observation;
    // The read before the write only decides whether to ask the API first; without an API to
    // ask, the conflict is found against the state the write itself saw, and the read is skipped.
    const before = mayAsk ? await readJob(jobs, id) : undefined;
    const firstReason = mayAsk && !recallEvent(before, event.id) ? findConflict(before, reading) : undefined;
    let answer = wantsApi(firstReason) ? await askApi(reading.observation, trace) : {};
    let transition = await apply(id, (current, now) => applyEvent(current, reading, answer.authority, now));
    let reason = firstReason ?? (mayAsk ? undefined : findConflict(transition.previous, reading));

    // A conflict seen only at write time (another writer got there first): ask, then apply.
    if (!answer.authority && !answer.apiError && transition.rejected && reason === undefined) {
      reason = transition.rejected;
      if (wantsApi(reason)) {
        answer = await askApi(reading.observation, trace);
        transition = await applyAuthority(apply, id, transition, answer.authority);
      }
    }
    const conflict = reason === undefined ? undefined : conflictReport(opts, event, reason, answer, before, transition);
    if (conflict) await reportConflict(opts, conflict);
    else if (answer.apiError) {
      opts.logger.warn?.(`the Video API answer about job ${id} was not applied`, { code: answer.apiError.code });
    }
    return { job: transition.state, transition, reconciled: answer.authority !== undefined, conflict };
  };
}

/**
 * One event, applied to the current state: its own observation (unless it contradicts itself and
 * the API answered), then the API's answer. An event the job already remembers is not applied
 * again; the transition it caused the first time is returned with today's state.
 */
function applyEvent(
  current: JobState | undefined,
  reading: EventReading,
  authority: JobObservation | undefined,
  now: Date,
): JobTransition {
  const eventId = reading.observation.eventId;
  const earlier = recallEvent(current, eventId);
  const skipEvent = earlier !== undefined || (reading.contradiction && authority !== undefined);
  const first = skipEvent ? undefined : applyObservation(current, reading.observation, now);
  const last = authority ? applyObservation(first?.state ?? current, authority, now) : first;
  if (earlier) {
    return { previous: earlier.previous, state: last?.state ?? current!, changed: earlier.changed };
  }
  const changed = (first?.changed ?? false) || (last?.changed ?? false);
  const state = changed && eventId !== undefined ? rememberEvent(last!.state, eventId, current) : last!.state;
  const rejected = first?.rejected;
  return rejected === undefined
    ? { previous: current, state, changed }
    : { previous: current, state, changed, rejected };
}

async function applyAuthority(
  apply: (id: string, step: (current: JobState | undefined, now: Date) => JobTransition) => Promise<JobTransition>,
  id: string,
  transition: JobTransition,
  authority: JobObservation | undefined,
): Promise<JobTransition> {
  if (!authority) return transition;
  const second = await apply(id, (current, now) => applyObservation(current, authority, now));
  return { ...second, previous: transition.previous, changed: transition.changed || second.changed };
}

// The call is a client span in `trace`, under the settle stage's.
async function askVideoApi(
  opts: ResolvedReceiverOptions,
  observation: JobObservation,
  trace: DeliveryTrace | undefined,
): Promise<ApiAnswer> {
  const api = opts.api!;
  trace?.apiCall(observation.kind, observation.id);
  try {
    const object =
      observation.kind === 'batch' ? await api.getBatch(observation.id) : await api.getVideo(observation.id);
    // A custom client may not check: an answer about another job is never applied.
    assertAnswerFor(observation.id, object);
    trace?.apiCallEnd();
    return { authority: readApiObject(observation.kind, object) };
  } catch (error) {
    trace?.apiCallEnd(error);
    if (isWebhookError(error) && FINAL_API_ERRORS.has(error.code)) return { apiError: error };
    throw new WebhookError(
      'reconcile_failed',
      `Expected the Video API to settle a disagreement, found ${isWebhookError(error) ? error.code : 'an error'}; the delivery was not committed and the sender will retry.`,
      { cause: error, details: retryAfterOf(error) },
    );
  }
}

function retryAfterOf(error: unknown): { retryAfterMs?: number } {
  const retryAfterMs = isWebhookError(error) ? error.details.retryAfterMs : undefined;
  return typeof retryAfterMs === 'number' ? { retryAfterMs } : {};
}

async function readJob(jobs: JobStore, id: string): Promise<JobState | undefined> {
  try {
    return await jobs.get(id);
  } catch (error) {
    throw storeFailure('read job', error);
  }
}

async function writeJob(
  jobs: JobStore,
  now: Date,
  id: string,
  step: (current: JobState | undefined, now: Date) => JobTransition,
): Promise<JobTransition> {
  try {
    return await updateJob(jobs, id, (current) => step(current, now));
  } catch (error) {
    throw storeFailure('update job', error);
  }
}

function conflictReport(
  opts: ResolvedReceiverOptions,
  event: WebhookEvent,
  reason: ConflictReason,
  answer: ApiAnswer,
  before: JobState | undefined,
  transition: JobTransition,
): ConflictReport {
  return {
    reason,
    resolution: resolutionOf(answer, opts.api !== undefined),
    event,
    before: before ?? transition.previous,
    after: transition.state,
    ...(answer.apiError ? { apiError: answer.apiError } : {}),
  };
}

function resolutionOf(answer: ApiAnswer, hasApi: boolean): ConflictReport['resolution'] {
  if (answer.authority) return 'reconciled';
  if (answer.apiError) return 'api_unavailable';
  return hasApi ? 'not_reconciled' : 'no_api';
}

async function reportConflict(opts: ResolvedReceiverOptions, conflict: ConflictReport): Promise<void> {
  opts.logger.warn?.(
    `delivery ${conflict.event.id} disagreed with job ${conflict.after.id} (${conflict.reason}): ${conflict.resolution}`,
    { before: conflict.before?.status, after: conflict.after.status, code: conflict.apiError?.code },
  );
  await opts.onConflict?.(conflict);
}
