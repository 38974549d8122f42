import type { JobStore } from './job-store';
import type { JobState } from './job-state-machine';
import { isTerminal, type JobStatus } from './job-status';
import type { Logger } from '../receiver/receiver-options';
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

interface IdNode {
  readonly id: string;
  prev: IdNode | undefined;
  next: IdNode | undefined;
}

// Ids in insertion order with O(1) push, shift and remove: a doubly linked list indexed by id.
// (Deleting the first key of a Map is not O(1) in V8: iterators skip the deleted slots one by one.)
class IdQueue implements Iterable<string> {
  private readonly nodes = new Map<string, IdNode>();
  private head: IdNode | undefined;
  private tail: IdNode | undefined;

  push(id: string): void {
    this.remove(id);
    const node: IdNode = { id, prev: this.tail, next: undefined };
    if (this.tail) this.tail.next = node;
    else this.head = node;
    this.tail = node;
    this.nodes.set(id, node);
  }

  shift(): string | undefined {
    const node = this.head;
    if (node) this.unlink(node);
    return node?.id;
  }

  remove(id: string): void {
    const node = this.nodes.get(id);
    if (node) this.unlink(node);
  }

  *[Symbol.iterator](): Iterator<string> {
    for (let node = this.head; node; node = node.next) yield node.id;
  }

  private unlink(node: IdNode): void {
    if (node.prev) node.prev.next = node.next;
    else this.head = node.next;
    if (node.next) node.next.prev = node.prev;
    else this.tail = node.prev;
    this.nodes.delete(node.id);
  }
}
