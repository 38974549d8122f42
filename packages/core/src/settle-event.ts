import { findConflict, readApiObject, readEvent, type ConflictReason } from './job-observation';
import { applyObservation, type JobObservation, type JobState, type JobTransition } from './job-state-machine';
import type { ConflictReport, ResolvedReceiverOptions } from './receiver-options';
import type { WebhookEvent } from './schemas';
import { isPromiseLike } from './maybe-promise';
import { updateJob } from './store-api-object';
import { storeFailure } from './store-failure';
import { WebhookError, isWebhookError } from './webhook-error';

/** What settling one event produced: the job state and how it got there. */
export interface SettledEvent {
  readonly job: JobState;
  readonly transition: JobTransition;
  readonly reconciled: boolean;
  readonly conflict: ConflictReport | undefined;
}

/**
 * Steps 6–7 of the pipeline: compare the event with the stored job, ask the Video API when they
 * disagree (or always), and apply the result atomically through the state machine. A
 * disagreement can also show up only at write time, when another worker changed the job
 * meanwhile (two instances racing); it is then reconciled the same way, so the outcome never
 * depends on which write won.
 *
 * @example
 * ```ts
 * const settle = createSettler(resolveReceiverOptions({ secret, api }));
 * const { job, conflict } = await settle(event);
 * ```
 */
export function createSettler(opts: ResolvedReceiverOptions): (event: WebhookEvent) => Promise<SettledEvent> {
  const askApi = async (
    observation: JobObservation,
  ): Promise<{ authority?: JobObservation; apiError?: WebhookError }> => {
    const api = opts.api!;
    try {
      const object =
        observation.kind === 'batch' ? await api.getBatch(observation.id) : await api.getVideo(observation.id);
      return { authority: readApiObject(observation.kind, object) };
    } catch (error) {
      return { apiError: reconcileFailure(error) };
    }
  };
  const wantsApi = (reason: ConflictReason | undefined) =>
    opts.api !== undefined &&
    (opts.reconcile === 'always' || (reason !== undefined && opts.reconcile === 'on-conflict'));

  const apply = async (id: string, steps: (current: JobState | undefined, now: Date) => JobTransition) => {
    const now = new Date(opts.now());
    try {
      const pending = updateJob(opts.jobs, id, (current) => steps(current, now));
      return isPromiseLike(pending) ? await pending : pending;
    } catch (error) {
      throw storeFailure('update job', error);
    }
  };

  return async (event) => {
    const reading = readEvent(event);
    const { id } = reading.observation;
    // The read before the write only decides whether to ask the API first; without an API to
    // ask, the conflict is found against the state the write itself saw, and the read is skipped.
    const mayAsk = opts.api !== undefined && opts.reconcile !== 'never';
    let before: JobState | undefined;
    if (mayAsk) {
      try {
        const pending = opts.jobs.get(id);
        before = isPromiseLike(pending) ? await pending : pending;
      } catch (error) {
        throw storeFailure('read job', error);
      }
    }
    let reason = mayAsk ? findConflict(before, reading) : undefined;
    let { authority, apiError } = wantsApi(reason) ? await askApi(reading.observation) : {};

    // The delivery itself is applied unless it contradicts itself; the API's answer, when there
    // is one, is applied last and may settle a terminal disagreement.
    let transition = await apply(id, (current, now) => {
      const first =
        reading.contradiction && authority ? undefined : applyObservation(current, reading.observation, now);
      const last = authority ? applyObservation(first?.state ?? current, authority, now) : first!;
      return {
        previous: current,
        state: last.state,
        changed: (first?.changed ?? false) || last.changed,
        ...(first?.rejected ? { rejected: first.rejected } : {}),
      };
    });
    if (!mayAsk) {
      before = transition.previous;
      reason = findConflict(before, reading);
    }
    if (!authority && !apiError && transition.rejected && reason === undefined) {
      reason = transition.rejected;
      if (wantsApi(reason)) {
        ({ authority, apiError } = await askApi(reading.observation));
        if (authority) {
          const settled = authority;
          const second = await apply(id, (current, now) => applyObservation(current, settled, now));
          transition = { ...second, previous: transition.previous, changed: transition.changed || second.changed };
        }
      }
    }

    const job = transition.state;
    const conflict: ConflictReport | undefined =
      reason === undefined
        ? undefined
        : {
            reason,
            resolution: authority
              ? 'reconciled'
              : apiError
                ? 'api_unavailable'
                : opts.api
                  ? 'not_reconciled'
                  : 'no_api',
            event,
            before,
            after: job,
            ...(apiError ? { apiError } : {}),
          };
    if (conflict) {
      opts.logger.warn?.(`delivery ${event.id} disagreed with job ${id} (${reason}): ${conflict.resolution}`, {
        before: before?.status,
        after: job.status,
      });
      await opts.onConflict?.(conflict);
    }
    return { job, transition, reconciled: authority !== undefined, conflict };
  };
}

// API 5xx, timeouts, network errors and bad credentials fail the delivery (503, retried).
// 404, 501, other 4xx and unreadable answers leave the decision to the monotonic rules.
function reconcileFailure(error: unknown): WebhookError {
  if (
    isWebhookError(error) &&
    ['api_not_found', 'api_not_implemented', 'api_client_error', 'api_invalid_response'].includes(error.code)
  ) {
    return error;
  }
  throw new WebhookError(
    'reconcile_failed',
    `Expected the Video API to settle a disagreement, found ${isWebhookError(error) ? error.code : 'an error'}; the delivery was not committed and the sender will retry.`,
    { cause: error },
  );
}
