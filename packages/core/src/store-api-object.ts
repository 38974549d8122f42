import { readApiObject } from './job-observation';
import { applyObservation, type JobSource, type JobState, type JobTransition } from './job-state-machine';
import type { JobStore } from './job-store';
import { isPromiseLike, type MaybePromise } from './maybe-promise';
import type { BatchObject, JobKind, VideoObject } from './schemas';

/**
 * Applies what the Video API said about a job (a `POST /v1/videos` answer, a poll) to the job store
 * through the state machine, atomically. Only `source: 'reconcile'` is authoritative (may replace
 * one terminal state with another); `create` and `poll` follow the monotonic rules like webhooks.
 *
 * @example
 * ```ts
 * const video = await api.createVideo({ model, prompt });
 * const { state } = await storeApiObject(receiver.options.jobs, 'video', video, 'create'); // recipe step 1: store the id
 * ```
 */
export async function storeApiObject(
  jobs: JobStore,
  kind: JobKind,
  object: VideoObject | BatchObject,
  source: JobSource = 'poll',
  now: Date = new Date(),
): Promise<JobTransition> {
  const observation = readApiObject(kind, object, source);
  return updateJob(jobs, object.id, (current) => applyObservation(current, observation, now));
}

/**
 * Runs one state-machine step through `jobs.update` (atomically) and returns the transition that
 * was stored. A store may call `step` more than once (a retried compare-and-set): the last call's
 * transition is the one written. Synchronous when the store is.
 *
 * @example
 * ```ts
 * const transition = await updateJob(jobs, id, (current) => applyObservation(current, observation, now));
 * ```
 */
export function updateJob(
  jobs: JobStore,
  id: string,
  step: (current: JobState | undefined) => JobTransition,
): MaybePromise<JobTransition> {
  let transition: JobTransition | undefined;
  const pending = jobs.update(id, (current) => (transition = step(current)).state);
  return isPromiseLike(pending) ? Promise.resolve(pending).then(() => transition!) : transition!;
}
