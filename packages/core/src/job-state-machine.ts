import { isTerminal, statusRank, type JobStatus } from './job-status';
import type { JobKind } from './schemas';

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
  const at = now.toISOString();
  const observedProgress = clampProgress(observation.progress);
  if (current === undefined) {
    const state: JobState = withDetails(
      {
        id: observation.id,
        kind: observation.kind,
        status: observation.status,
        progress: observation.status === 'completed' ? 100 : observedProgress,
        source: observation.source,
        createdAt: at,
        updatedAt: at,
        version: 1,
      },
      observation,
    );
    return { previous: undefined, state, changed: true };
  }

  let status = current.status;
  let rejected: JobTransition['rejected'];
  if (observation.status !== current.status) {
    if (isTerminal(current.status)) {
      if (isTerminal(observation.status) && observation.authoritative === true) status = observation.status;
      else rejected = isTerminal(observation.status) ? 'terminal_mismatch' : 'backwards';
    } else if (statusRank(observation.status) < statusRank(current.status)) {
      rejected = 'backwards';
    } else {
      status = observation.status;
    }
  }
  const statusTaken = rejected === undefined;
  const progress = status === 'completed' ? 100 : Math.max(current.progress, statusTaken ? observedProgress : 0);

  const next = statusTaken ? withDetails({ ...current, status, progress }, observation) : { ...current, progress };
  const changed =
    next.status !== current.status ||
    next.progress !== current.progress ||
    !sameJson(next.output, current.output) ||
    !sameJson(next.failure, current.failure);
  const state: JobState = changed
    ? {
        ...next,
        source: observation.source,
        updatedAt: at,
        version: current.version + 1,
        ...(observation.eventId !== undefined && statusTaken ? { lastEventId: observation.eventId } : {}),
      }
    : current;
  return rejected === undefined
    ? { previous: current, state, changed }
    : { previous: current, state, changed, rejected };
}

function withDetails(state: JobState, observation: JobObservation): JobState {
  let next = state;
  if (observation.output !== undefined) next = { ...next, output: { ...next.output, ...observation.output } };
  if (observation.failure !== undefined && observation.status === 'failed')
    next = { ...next, failure: observation.failure };
  if (observation.eventId !== undefined) next = { ...next, lastEventId: observation.eventId };
  return next;
}

function clampProgress(progress: number | null | undefined): number {
  if (typeof progress !== 'number' || !Number.isFinite(progress)) return 0;
  return Math.min(100, Math.max(0, Math.round(progress)));
}

function sameJson(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}
