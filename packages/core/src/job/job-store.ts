import { isTerminal, type JobStatus } from './job-status';
import type { JobState } from './job-state-machine';
import type { MaybePromise } from '../maybe-promise';

/**
 * The statuses {@link JobStore.listOpen} returns: the ones a poller still has to watch.
 *
 * @example
 * ```ts
 * const open = await jobs.list({ status: OPEN_STATUSES }); // what a store without listOpen answers
 * ```
 */
export const OPEN_STATUSES: readonly JobStatus[] = Object.freeze(['queued', 'processing'] as const);

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
  /**
   * The open jobs (queued or processing), **oldest first** (by `createdAt`), read from an index of
   * open jobs so the cost follows the number of open jobs, never the number of terminal ones.
   * Optional so that existing third-party stores keep working: without it, {@link listOpenJobs}
   * (and so the poller) falls back to `list({ status: ['queued', 'processing'] })`, which may scan
   * every job.
   */
  listOpen?(options?: { readonly limit?: number }): MaybePromise<JobState[]>;
}

/**
 * The open jobs of any store, oldest first: `store.listOpen()` when the store has it, else
 * `store.list({ status: ['queued', 'processing'] })` (newest first there, so reversed). Only
 * queued and processing jobs are returned, whatever the store answers.
 *
 * @example
 * ```ts
 * for (const job of await listOpenJobs(jobs, { limit: 100 })) console.log(job.id, job.status);
 * ```
 */
export async function listOpenJobs(store: JobStore, options: { readonly limit?: number } = {}): Promise<JobState[]> {
  const isOpen = (job: JobState): boolean => !isTerminal(job.status);
  if (store.listOpen) return (await store.listOpen(options)).filter(isOpen);
  // list() is newest first: read them all, so that a limit keeps the oldest.
  const open = (await store.list({ status: OPEN_STATUSES })).filter(isOpen).reverse();
  return options.limit === undefined ? open : open.slice(0, Math.max(0, options.limit));
}
