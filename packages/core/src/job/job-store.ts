import { isTerminal, type JobStatus } from './job-status';
import type { JobState } from './job-state-machine';
import type { MaybePromise } from '../maybe-promise';
import type { JobKind } from '../wire/schemas';

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
  /**
   * How many jobs are stored, per kind and status: one {@link JobCount} per pair that has at least
   * one job (no zero counts), in no particular order. A store answers it without handing every job
   * to the caller (one `group by` query, a server-side count), which is what the Prometheus
   * `ai_stats_jobs` gauge reads on every scrape. Optional so that existing third-party stores keep
   * working: without it, {@link countJobs} counts what `list()` returns, which reads every job.
   *
   * @example
   * ```ts
   * const counts = await jobs.countByStatus?.(); // [{ kind: 'video', status: 'completed', count: 2 }, …]
   * ```
   */
  countByStatus?(): MaybePromise<readonly JobCount[]>;
}

/**
 * How many stored jobs have one kind and one status: an entry of {@link JobStore.countByStatus}
 * and {@link countJobs}.
 *
 * @example
 * ```ts
 * const completedVideos: JobCount = { kind: 'video', status: 'completed', count: 2 };
 * ```
 */
export interface JobCount {
  readonly kind: JobKind;
  readonly status: JobStatus;
  readonly count: number;
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

/**
 * The stored jobs of any store counted per kind and status, one entry per pair with at least one
 * job: `store.countByStatus()` when the store has it, else the jobs `store.list()` returns,
 * counted here (which reads every job).
 *
 * @example
 * ```ts
 * for (const { kind, status, count } of await countJobs(jobs)) console.log(kind, status, count);
 * ```
 */
export async function countJobs(store: JobStore): Promise<JobCount[]> {
  if (store.countByStatus) return [...(await store.countByStatus())];
  return countStates(await store.list(), (job) => job);
}

/**
 * Counts `items` per kind and status of the job each one holds (`stateOf`), one entry per pair
 * found, in the order the pairs first appear. Internal to the stores of core.
 *
 * @example
 * ```ts
 * countStates(await jobs.list(), (job) => job); // [{ kind: 'video', status: 'queued', count: 3 }]
 * ```
 */
export function countStates<T>(
  items: Iterable<T>,
  stateOf: (item: T) => Pick<JobState, 'kind' | 'status'>,
): JobCount[] {
  const counts = new Map<string, { kind: JobKind; status: JobStatus; count: number }>();
  for (const item of items) {
    const { kind, status } = stateOf(item);
    const key = `${kind}\u0000${status}`;
    const entry = counts.get(key);
    if (entry === undefined) counts.set(key, { kind, status, count: 1 });
    else entry.count++;
  }
  return [...counts.values()];
}
