import { readApiObject } from './job-observation';
import { applyObservation, type JobSource, type JobTransition } from './job-state-machine';
import type { JobStore } from './job-store';
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
  let transition: JobTransition | undefined;
  await jobs.update(object.id, (current) => (transition = applyObservation(current, observation, now)).state);
  return transition!;
}
