import type { JobState, JobTransition } from './job-state-machine';
import type { JobStore } from './job-store';

/**
 * Runs one state-machine step through `jobs.update` (atomically) and returns the transition that
 * was stored. A store may call `step` more than once (a retried compare-and-set): the last call's
 * transition is the one written.
 *
 * @example
 * ```ts
 * const transition = await updateJob(jobs, id, (current) => applyObservation(current, observation, now));
 * ```
 */
export async function updateJob(
  jobs: JobStore,
  id: string,
  step: (current: JobState | undefined) => JobTransition,
): Promise<JobTransition> {
  let transition: JobTransition | undefined;
  await jobs.update(id, (current) => (transition = step(current)).state);
  return transition!;
}
