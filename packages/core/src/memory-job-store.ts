import type { JobStore } from './job-store';
import type { JobState } from './job-state-machine';
import { isTerminal } from './job-status';
import { WebhookError } from './webhook-error';

/** Default number of jobs a memory job store keeps. */
export const DEFAULT_MEMORY_JOB_STORE_MAX = 100_000;

/**
 * A job store in process memory, for one instance (use the Redis store for several). When it
 * holds `max` jobs it forgets the oldest terminal job first; non-terminal jobs are never dropped.
 *
 * @example
 * ```ts
 * const receiver = createReceiver({ secret, jobs: createMemoryJobStore({ max: 10_000 }) });
 * ```
 */
export function createMemoryJobStore(options: { readonly max?: number } = {}): JobStore {
  const max = options.max ?? DEFAULT_MEMORY_JOB_STORE_MAX;
  if (!Number.isInteger(max) || max < 1) {
    throw new WebhookError('invalid_option', `Option "max": expected a positive integer, found ${String(max)}.`, {
      details: { option: 'max' },
    });
  }
  // Insertion order is creation order, which is what list() and eviction need.
  const jobs = new Map<string, JobState>();

  const evict = (): void => {
    for (const [id, job] of jobs) {
      if (jobs.size <= max) return;
      if (isTerminal(job.status)) jobs.delete(id);
    }
  };

  return {
    get(id) {
      return jobs.get(id);
    },
    update(id, apply) {
      const current = jobs.get(id);
      const next = apply(current);
      if (next !== current) {
        jobs.set(id, next);
        if (current === undefined && jobs.size > max) evict();
      }
      return next;
    },
    list(listOptions = {}) {
      const wanted = listOptions.status ? new Set(listOptions.status) : undefined;
      const limit = listOptions.limit ?? Number.POSITIVE_INFINITY;
      const out: JobState[] = [];
      const all = [...jobs.values()];
      for (let i = all.length - 1; i >= 0 && out.length < limit; i--) {
        const job = all[i]!;
        if (!wanted || wanted.has(job.status)) out.push(job);
      }
      return out;
    },
  };
}
