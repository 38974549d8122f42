import type { JobStatus } from './job-status';
import type { JobState } from './job-state-machine';
import type { MaybePromise } from './maybe-promise';

/**
 * Where job state lives. `update` must be atomic per job: it calls `apply` with the current state
 * and stores what it returns, with no other writer in between (the Redis store retries on a
 * concurrent write). `apply` is pure and may be called more than once. Methods may answer
 * synchronously (the memory store does) or with a promise.
 *
 * @example
 * ```ts
 * const jobs: JobStore = createMemoryJobStore();
 * await jobs.update('G-1', (current) => applyObservation(current, observation, new Date()).state);
 * ```
 */
export interface JobStore {
  get(id: string): MaybePromise<JobState | undefined>;
  update(id: string, apply: (current: JobState | undefined) => JobState): MaybePromise<JobState>;
  /** Newest first (by `createdAt`). */
  list(options?: { readonly limit?: number; readonly status?: readonly JobStatus[] }): MaybePromise<JobState[]>;
}
