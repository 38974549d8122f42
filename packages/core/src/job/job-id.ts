import { WebhookError } from '../errors/webhook-error';

// Letters, digits and `_ - . :`, 1–200 characters, and not made of dots only (`.`, `..`).
const PLAIN_ID = /^(?!\.+$)[A-Za-z0-9_.:-]{1,200}$/;

/**
 * {@link isPlainJobId}'s rule in words, for messages that refuse an id.
 *
 * @example
 * ```ts
 * throw new RangeError(`Expected a plain job id (${PLAIN_JOB_ID_RULE}), found ${JSON.stringify(id)}.`);
 * ```
 */
export const PLAIN_JOB_ID_RULE = 'letters, digits, "_", "-", ".", ":", 1–200 characters, not dots only';

/**
 * True when `id` is a plain job id token, safe to put in a URL path segment: `G-<ULID>`,
 * `batch_<ULID>` and the like. Ids with `/`, `?`, `%`, spaces or made of dots only (`..`) are not.
 *
 * @example
 * ```ts
 * isPlainJobId('G-01KA7Q3M9V2X5C8B4N6D1F0H7J'); // true
 * isPlainJobId('../admin'); // false
 * ```
 */
export function isPlainJobId(id: unknown): id is string {
  return typeof id === 'string' && PLAIN_ID.test(id);
}

/**
 * Throws `invalid_job_id` (400) unless `id` is a plain job id token ({@link isPlainJobId}).
 *
 * @example
 * ```ts
 * assertPlainJobId(videoId); // before building `/videos/${videoId}`
 * ```
 */
export function assertPlainJobId(id: unknown): asserts id is string {
  if (!isPlainJobId(id)) {
    throw new WebhookError(
      'invalid_job_id',
      `Expected a plain job id such as G-01KA7Q3M9V2X5C8B4N6D1F0H7J (${PLAIN_JOB_ID_RULE}), found ${JSON.stringify(String(id).slice(0, 80))}.`,
    );
  }
}

/**
 * Throws `api_invalid_response` unless the Video API answered about the job that was asked for.
 * An answer for another id is never applied and never stored (under either id).
 *
 * @example
 * ```ts
 * const video = await api.getVideo(id);
 * assertAnswerFor(id, video);
 * ```
 */
export function assertAnswerFor(requestedId: string, object: { readonly id?: unknown }): void {
  if (object.id === requestedId) return;
  throw new WebhookError(
    'api_invalid_response',
    `Expected the Video API to answer about job ${requestedId.slice(0, 200)}, found an object for ${JSON.stringify(String(object.id).slice(0, 80))}; the answer was not applied.`,
    { details: { requestedId, answeredId: typeof object.id === 'string' ? object.id.slice(0, 200) : undefined } },
  );
}
