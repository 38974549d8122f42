import type { JobStore } from './job-store';
import type { JobState } from './job-state-machine';
import { isTerminal, type JobStatus } from './job-status';
import type { Logger } from '../receiver/receiver-options';
import { IdQueue } from './id-queue';
import { integerOption, invalidOption } from '../errors/invalid-option';

/** Default number of jobs a memory job store keeps. */
export const DEFAULT_MEMORY_JOB_STORE_MAX = 100_000;

/** Options of {@link createMemoryJobStore}. */
export interface MemoryJobStoreOptions {
  /** Jobs kept at most, open and terminal together. Default {@link DEFAULT_MEMORY_JOB_STORE_MAX}. */
  readonly max?: number;
  /** Receives the one warning when open jobs have to be dropped. Default: `console.warn`. */
  readonly logger?: Logger;
}

const consoleLogger: Logger = {
  warn: (message, fields) => console.warn(`[ai-stats-webhooks] ${message}`, fields ?? ''),
};

/**
 * A job store in process memory, for one instance (use the Redis or Postgres store for several).
 * It never holds more than `max` jobs: a new job beyond that drops the job that became terminal
 * longest ago, and only when every job is open (queued or processing) the oldest open job, with
 * one `logger.warn` naming the cap and the fix. Each write costs O(1), eviction included;
 * `listOpen` costs O(open jobs), oldest first.
 *
 * @example
 * ```ts
 * const receiver = createReceiver({ secret, jobs: createMemoryJobStore({ max: 10_000, logger: console }) });
 * ```
 */
export function createMemoryJobStore(options: MemoryJobStoreOptions = {}): JobStore {
  const { max, logger } = resolveOptions(options);
  // Insertion order is creation order, which is what list() needs.
  const jobs = new Map<string, JobState>();
  const open = new IdQueue(); // creation order
  const terminal = new IdQueue(); // the order in which jobs became terminal
  let warned = false;

  const reindex = (id: string, wasOpen: boolean | undefined, isOpen: boolean): void => {
    if (wasOpen === isOpen) return;
    if (wasOpen !== undefined) (wasOpen ? open : terminal).remove(id);
    (isOpen ? open : terminal).push(id);
  };

  const evictOne = (): void => {
    let id = terminal.shift();
    if (id === undefined) {
      id = open.shift();
      if (id !== undefined && !warned) {
        warned = true;
        logger.warn?.(
          `Expected the memory job store to have a terminal job to drop at its cap of max=${max} jobs, found only open jobs; dropped the oldest open job ${id}, which the poller will no longer watch. Fix: raise "max" or use a persistent job store (Redis, Postgres). Further drops are not logged.`,
          { max, droppedJobId: id },
        );
      }
    }
    if (id !== undefined) jobs.delete(id);
  };

  return {
    get(id) {
      return jobs.get(id);
    },
    update(id, apply) {
      const current = jobs.get(id);
      const next = apply(current);
      if (next === current) return next;
      jobs.set(id, next);
      reindex(id, current === undefined ? undefined : !isTerminal(current.status), !isTerminal(next.status));
      if (current === undefined && jobs.size > max) evictOne();
      return next;
    },
    list(listOptions = {}) {
      return newestFirst(jobs, listOptions);
    },
    listOpen(listOptions = {}) {
      const limit = listOptions.limit ?? Number.POSITIVE_INFINITY;
      const out: JobState[] = [];
      for (const id of open) {
        if (out.length >= limit) break;
        out.push(jobs.get(id)!);
      }
      return out;
    },
  };
}

function newestFirst(
  jobs: ReadonlyMap<string, JobState>,
  options: { readonly limit?: number; readonly status?: readonly JobStatus[] },
): JobState[] {
  const wanted = options.status ? new Set(options.status) : undefined;
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  const out: JobState[] = [];
  const all = [...jobs.values()];
  for (let i = all.length - 1; i >= 0 && out.length < limit; i--) {
    const job = all[i]!;
    if (!wanted || wanted.has(job.status)) out.push(job);
  }
  return out;
}

function resolveOptions(options: MemoryJobStoreOptions): { max: number; logger: Logger } {
  const max = integerOption('max', options.max ?? DEFAULT_MEMORY_JOB_STORE_MAX);
  const logger = options.logger ?? consoleLogger;
  if (typeof logger !== 'object' || logger === null) {
    throw invalidOption('logger', 'an object with a warn(message, fields) method', String(logger));
  }
  return { max, logger };
}
