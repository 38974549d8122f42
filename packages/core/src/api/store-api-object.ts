import { readApiObject } from '../job/job-observation';
import { applyObservation, type JobSource, type JobTransition } from '../job/job-state-machine';
import type { JobStore } from '../job/job-store';
import { updateJob } from '../job/update-job';
import type { BatchObject, JobKind, VideoObject } from '../wire/schemas';
import { assertAnswerFor, assertPlainJobId } from '../job/job-id';

/** Options of {@link storeApiObject}. */
export interface StoreApiObjectOptions {
  /** Default `poll`. Only `reconcile` is authoritative. */
  readonly source?: JobSource;
  /** Default `new Date()`. */
  readonly now?: Date;
  /** The id that was asked for (a poll, a reconciliation): an answer about another job is refused. */
  readonly requestedId?: string;
}

/**
 * Applies what the Video API said about a job (a `POST /v1/videos` answer, a poll) to the job store
 * through the state machine, atomically. Only `source: 'reconcile'` is authoritative (may replace
 * one terminal state with another); `create` and `poll` follow the monotonic rules like webhooks.
 * An object whose id is not a plain job id, or (with `requestedId`) not the id asked for, is
 * refused with `invalid_job_id` / `api_invalid_response` and nothing is stored.
 *
 * @example
 * ```ts
 * const video = await api.createVideo({ model, prompt });
 * const { state } = await storeApiObject(receiver.options.jobs, 'video', video, 'create'); // recipe step 1: store the id
 * await storeApiObject(jobs, 'video', await api.getVideo(id), { source: 'poll', requestedId: id });
 * ```
 */
export async function storeApiObject(
  jobs: JobStore,
  kind: JobKind,
  object: VideoObject | BatchObject,
  options: JobSource | StoreApiObjectOptions = {},
): Promise<JobTransition> {
  const {
    source = 'poll',
    now = new Date(),
    requestedId,
  } = typeof options === 'string' ? { source: options } : options;
  if (requestedId !== undefined) assertAnswerFor(requestedId, object);
  assertPlainJobId(object.id);
  const observation = readApiObject(kind, object, source);
  return updateJob(jobs, object.id, (current) => applyObservation(current, observation, now));
}
