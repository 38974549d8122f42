import { countStates, type JobStore } from './job-store';
import type { JobState } from './job-state-machine';
import { isTerminal, type JobStatus } from './job-status';
import type { Logger } from '../receiver/receiver-options';
import { LinkedList, type ListNode } from './linked-list';
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
 * `listOpen` costs O(open jobs), oldest first; `countByStatus` one pass over the stored jobs.
 *
 * @example
 * ```ts
 * const receiver = createReceiver({ secret, jobs: createMemoryJobStore({ max: 10_000, logger: console }) });
 * ```
 */
export function createMemoryJobStore(options: MemoryJobStoreOptions = {}): JobStore {
  const { max, logger } = resolveOptions(options);
  // One entry per job, linked into the open or the terminal list. Insertion order of the Map is
  // creation order, which is what list() needs.
  const jobs = new Map<string, Entry>();
  const open = new LinkedList<Entry>(); // creation order
  const terminal = new LinkedList<Entry>(); // the order in which jobs became terminal
  const listOf = (isTerminalJob: boolean) => (isTerminalJob ? terminal : open);
  let warned = false;

  const evictOne = (): void => {
    let entry = terminal.shift();
    if (entry === undefined) {
      entry = open.shift();
      if (entry !== undefined && !warned) {
        warned = true;
        logger.warn?.(
          `Expected the memory job store to have a terminal job to drop at its cap of max=${max} jobs, found only open jobs; dropped the oldest open job ${entry.id}, which the poller will no longer watch. Fix: raise "max" or use a persistent job store (Redis, Postgres). Further drops are not logged.`,
          { max, droppedJobId: entry.id },
        );
      }
    }
    if (entry !== undefined) jobs.delete(entry.id);
  };

  const insert = (id: string, state: JobState): void => {
    const entry: Entry = { id, state, terminal: isTerminal(state.status), prev: undefined, next: undefined };
    jobs.set(id, entry);
    listOf(entry.terminal).push(entry);
    if (jobs.size > max) evictOne();
  };

  // The entry records which list it is in: a state changed in place by an `apply` cannot mislead it.
  const replace = (entry: Entry, state: JobState): void => {
    entry.state = state;
    const terminalNow = isTerminal(state.status);
    if (terminalNow === entry.terminal) return;
    listOf(entry.terminal).remove(entry);
    entry.terminal = terminalNow;
    listOf(terminalNow).push(entry);
  };

  return {
    get(id) {
      return jobs.get(id)?.state;
    },
    update(id, apply) {
      const current = jobs.get(id)?.state;
      const next = apply(current);
      if (next === current) return next;
      // Read again: an `apply` that wrote through this store may have evicted or created the job.
      const entry = jobs.get(id);
      if (entry === undefined) insert(id, next);
      else replace(entry, next);
      return next;
    },
    list(listOptions = {}) {
      return newestFirst(jobs, listOptions);
    },
    listOpen(listOptions = {}) {
      const limit = listOptions.limit ?? Number.POSITIVE_INFINITY;
      const out: JobState[] = [];
      for (const entry of open) {
        if (out.length >= limit) break;
        out.push(entry.state);
      }
      return out;
    },
    countByStatus() {
      return countStates(jobs.values(), (entry) => entry.state);
    },
  };
}

// A job and its place in the open or the terminal list.
interface Entry extends ListNode {
  readonly id: string;
  state: JobState;
  /** In the terminal list (else the open one). */
  terminal: boolean;
}

function newestFirst(
  jobs: ReadonlyMap<string, Entry>,
  options: { readonly limit?: number; readonly status?: readonly JobStatus[] },
): JobState[] {
  const wanted = options.status ? new Set(options.status) : undefined;
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  const out: JobState[] = [];
  const all = [...jobs.values()];
  for (let i = all.length - 1; i >= 0 && out.length < limit; i--) {
    const job = all[i]!.state;
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
