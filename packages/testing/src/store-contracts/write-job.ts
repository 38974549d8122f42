import { applyObservation, type JobKind, type JobState, type JobStatus, type JobStore } from '@ai-stats-webhooks/core';

/** The time of the contract's first job: every later write is some seconds after it. */
export const CONTRACT_EPOCH_MS = Date.UTC(2026, 0, 1);

/**
 * Applies one observation to a job the way the receiver does (`update` with the state machine),
 * at `second` seconds after {@link CONTRACT_EPOCH_MS}, and returns what the store answered.
 *
 * @example
 * ```ts
 * await writeJob(store, 'G-1', 'queued', 1);
 * await writeJob(store, 'G-1', 'processing', 2, { progress: 40 });
 * ```
 */
export async function writeJob(
  store: JobStore,
  id: string,
  status: JobStatus,
  second: number,
  more: { readonly progress?: number; readonly kind?: JobKind } = {},
): Promise<JobState> {
  const at = new Date(CONTRACT_EPOCH_MS + second * 1000);
  const observation = { id, kind: more.kind ?? 'video', status, progress: more.progress, source: 'webhook' } as const;
  return store.update(id, (current) => applyObservation(current, observation, at).state);
}

/**
 * The ids of a list of jobs, in order.
 *
 * @example
 * ```ts
 * expect(jobIds(await store.list())).toEqual(['G-2', 'G-1']);
 * ```
 */
export function jobIds(jobs: readonly JobState[]): string[] {
  return jobs.map((job) => job.id);
}
