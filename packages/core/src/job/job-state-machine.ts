import { isoTime } from './iso-time';
import { isTerminal, statusRank, type JobStatus } from './job-status';
import type { JobKind } from '../wire/schemas';

/** Where a job's latest state came from. */
export type JobSource = 'webhook' | 'reconcile' | 'poll' | 'create';

/** The output links of a completed video job. */
export interface JobOutput {
  readonly contentUrl?: string | null;
  readonly downloadUrl?: string | null;
  /** Seconds; a signed download URL stops working after this. */
  readonly expiresAt?: number | null;
}

/** Why a failed job failed, as the sender reported it. */
export interface JobFailure {
  readonly code?: string | null;
  readonly message?: string | null;
}

/** The local state of one job, as the job store keeps it. */
export interface JobState {
  readonly id: string;
  readonly kind: JobKind;
  readonly status: JobStatus;
  /** 0–100, never decreasing. */
  readonly progress: number;
  readonly source: JobSource;
  /** ISO-8601 time of the first local record. */
  readonly createdAt: string;
  /** ISO-8601 time of the last change. */
  readonly updatedAt: string;
  /** Incremented on every change; lets stores detect concurrent writers. */
  readonly version: number;
  readonly output?: JobOutput;
  readonly failure?: JobFailure;
  /** The last event applied from a webhook. */
  readonly lastEventId?: string;
  /**
   * The last few webhook events that changed this job and what each did (see
   * {@link AppliedEvent}), so that a retried event's handlers see the transition it caused.
   */
  readonly appliedEvents?: readonly AppliedEvent[];
}

/** What one webhook event did to its job: the state before it, and whether it changed anything. */
export interface AppliedEvent {
  readonly eventId: string;
  /** The job before the event, without its own `appliedEvents`; absent when the event created it. */
  readonly previous?: JobState;
  readonly changed: boolean;
  /** The status the event left the job in (absent in entries written before 2026-12). */
  readonly status?: JobStatus;
}

/** One reading of a job's state, from a webhook, the API, the poller or a create call. */
export interface JobObservation {
  readonly id: string;
  readonly kind: JobKind;
  readonly status: JobStatus;
  readonly progress?: number | null | undefined;
  readonly source: JobSource;
  /**
   * True when the Video API said so (reconciliation): only then may a terminal status change to
   * another terminal status.
   */
  readonly authoritative?: boolean;
  readonly output?: JobOutput | undefined;
  readonly failure?: JobFailure | undefined;
  readonly eventId?: string | undefined;
}

/** What applying an observation did. */
export interface JobTransition {
  readonly previous: JobState | undefined;
  readonly state: JobState;
  readonly changed: boolean;
  /** Set when the observation's status was not taken, and why. */
  readonly rejected?: 'backwards' | 'terminal_mismatch';
}

/**
 * The monotonic state machine: `queued → processing → completed | failed | cancelled | expired`.
 * Terminal is final (only an authoritative observation may swap one terminal for another),
 * progress only rises, and nothing moves backwards. Pure; stores call it inside their atomic
 * update.
 *
 * @example
 * ```ts
 * const t = applyObservation(current, { id, kind: 'video', status: 'completed', source: 'webhook' }, new Date());
 * t.state.status; // 'completed'
 * ```
 */
export function applyObservation(current: JobState | undefined, observation: JobObservation, now: Date): JobTransition {
  if (current === undefined) return { previous: undefined, state: firstState(observation, now), changed: true };
  const { status, rejected } = nextStatus(current.status, observation);
  const taken = rejected === undefined;
  const progress =
    status === 'completed' ? 100 : Math.max(current.progress, taken ? clampProgress(observation.progress) : 0);
  const output = taken ? mergeOutput(current.output, observation.output) : current.output;
  const failure =
    taken && observation.failure !== undefined && observation.status === 'failed'
      ? observation.failure
      : current.failure;
  const changed =
    status !== current.status ||
    progress !== current.progress ||
    !sameOutput(output, current.output) ||
    !sameFailure(failure, current.failure);
  const state = !changed
    ? current
    : build({
        id: current.id,
        kind: current.kind,
        status,
        progress,
        source: observation.source,
        createdAt: current.createdAt,
        updatedAt: isoTime(now),
        version: current.version + 1,
        output,
        failure,
        lastEventId: taken && observation.eventId !== undefined ? observation.eventId : current.lastEventId,
        appliedEvents: current.appliedEvents,
      });
  return rejected === undefined
    ? { previous: current, state, changed }
    : { previous: current, state, changed, rejected };
}

// Terminal is final unless the API says otherwise; nothing moves backwards.
function nextStatus(
  current: JobState['status'],
  observation: JobObservation,
): { status: JobState['status']; rejected?: JobTransition['rejected'] } {
  const observed = observation.status;
  if (observed === current) return { status: current };
  if (isTerminal(current)) {
    if (isTerminal(observed) && observation.authoritative === true) return { status: observed };
    return { status: current, rejected: isTerminal(observed) ? 'terminal_mismatch' : 'backwards' };
  }
  return statusRank(observed) < statusRank(current) ? { status: current, rejected: 'backwards' } : { status: observed };
}

function firstState(observation: JobObservation, now: Date): JobState {
  const at = isoTime(now);
  return build({
    id: observation.id,
    kind: observation.kind,
    status: observation.status,
    progress: observation.status === 'completed' ? 100 : clampProgress(observation.progress),
    source: observation.source,
    createdAt: at,
    updatedAt: at,
    version: 1,
    output: observation.output,
    failure: observation.status === 'failed' ? observation.failure : undefined,
    lastEventId: observation.eventId,
    appliedEvents: undefined,
  });
}

/**
 * The same state with another `appliedEvents` history (the receiver's record of what each webhook
 * event did). Built field by field like every state, never by spreading one.
 *
 * @example
 * ```ts
 * const next = withAppliedEvents(state, [...history, { eventId, changed: true }]);
 * ```
 */
export function withAppliedEvents(state: JobState, appliedEvents: readonly AppliedEvent[] | undefined): JobState {
  return build({
    id: state.id,
    kind: state.kind,
    status: state.status,
    progress: state.progress,
    source: state.source,
    createdAt: state.createdAt,
    updatedAt: state.updatedAt,
    version: state.version,
    output: state.output,
    failure: state.failure,
    lastEventId: state.lastEventId,
    appliedEvents,
  });
}

// Every field, optional ones possibly undefined; the state leaves the undefined ones out. Callers
// list the fields rather than spread an object first: on Node 20, every property written after a
// leading spread is a slow map transition (about 10 µs per delivery on bench row "receiver").
type StateFields = { [K in keyof JobState]-?: JobState[K] | (undefined extends JobState[K] ? undefined : never) };

function build(fields: StateFields): JobState {
  // A literal of the required fields, then the optional ones that are set. (An object rest copies
  // through a slow runtime call: 3 % of bench row "receiver", where a new job is built twice.)
  const state: { -readonly [K in keyof JobState]: JobState[K] } = {
    id: fields.id,
    kind: fields.kind,
    status: fields.status,
    progress: fields.progress,
    source: fields.source,
    createdAt: fields.createdAt,
    updatedAt: fields.updatedAt,
    version: fields.version,
  };
  if (fields.output !== undefined) state.output = fields.output;
  if (fields.failure !== undefined) state.failure = fields.failure;
  if (fields.lastEventId !== undefined) state.lastEventId = fields.lastEventId;
  // The history belongs to the job, not to one observation: every new state carries it on.
  if (fields.appliedEvents !== undefined) state.appliedEvents = fields.appliedEvents;
  return state;
}

function mergeOutput(current: JobOutput | undefined, next: JobOutput | undefined): JobOutput | undefined {
  if (next === undefined) return current;
  return current === undefined ? next : { ...current, ...next };
}

function clampProgress(progress: number | null | undefined): number {
  if (typeof progress !== 'number' || !Number.isFinite(progress)) return 0;
  return Math.min(100, Math.max(0, Math.round(progress)));
}

function sameOutput(a: JobOutput | undefined, b: JobOutput | undefined): boolean {
  return (
    a === b || (a?.contentUrl === b?.contentUrl && a?.downloadUrl === b?.downloadUrl && a?.expiresAt === b?.expiresAt)
  );
}

function sameFailure(a: JobFailure | undefined, b: JobFailure | undefined): boolean {
  return a === b || (a?.code === b?.code && a?.message === b?.message);
}
