import { z } from 'zod';
import { describeFound } from '../errors/describe-found';
import { isPlainJobId } from '../job/job-id';

/** The creation fields of `POST {base}/videos` (wire spec §8.2) an app may forward from its users. */
export const CREATE_VIDEO_FIELDS = Object.freeze([
  'model',
  'prompt',
  'seconds',
  'size',
  'audio',
  'quality',
  'remixed_from_video_id',
] as const);

/** Every video phase: the subscriptions of a webhook that wants the whole lifecycle of a job. */
export const VIDEO_WEBHOOK_EVENTS: readonly string[] = Object.freeze([
  'video.created',
  'video.status_changed',
  'video.progress',
  'video.completed',
  'video.failed',
  'video.cancelled',
  'video.expired',
]);

const text = (what: string, max: number) =>
  z
    .string({ error: `expected ${what}` })
    .max(max, { error: `expected ${what} of at most ${max} characters` })
    .refine((value) => value.trim() !== '', { error: `expected ${what}` });

/**
 * A user's request to create a video: a strict object, so an unknown field (a `webhook`, say) is
 * an error and never reaches the Video API.
 */
export const createVideoRequestSchema = z.strictObject({
  model: text('a non-empty string (the model id)', 200),
  prompt: text('a non-empty string', 20_000),
  seconds: z
    .union([z.number().positive().max(3_600), z.string().regex(/^\d{1,4}(\.\d+)?$/)], {
      error: 'expected a positive number of seconds, or its decimal string ("8")',
    })
    .optional(),
  size: text('a string such as "1280x720" or "720p"', 32).optional(),
  audio: z.boolean({ error: 'expected true or false' }).optional(),
  quality: text('a string such as "standard"', 32).optional(),
  remixed_from_video_id: z
    .string({ error: 'expected a job id' })
    .refine(isPlainJobId, { error: 'expected a job id such as G-01KA7Q3M9V2X5C8B4N6D1F0H7J' })
    .optional(),
});

/** A validated request to create a video: only the fields of {@link CREATE_VIDEO_FIELDS}. */
export type CreateVideoRequest = z.infer<typeof createVideoRequestSchema>;

/** Where the webhooks of created jobs go: the app's configuration, never a user's request. */
export interface WebhookTarget {
  readonly url: string;
  readonly secret: string;
  readonly events: readonly string[];
}

/** The outcome of {@link parseCreateVideoRequest}. */
export type ParsedCreateVideoRequest = { ok: true; value: CreateVideoRequest } | { ok: false; message: string };

const unknownFieldMessage = (keys: readonly string[]): string => {
  const names = keys.slice(0, 5).map((key) => JSON.stringify(key.slice(0, 40)));
  return `Unknown field ${names.join(', ')}: expected only ${CREATE_VIDEO_FIELDS.join(', ')}. Fix: remove it; the webhook comes from the app's configuration, never from the request.`;
};

/**
 * Validates a user's request to create a video (the body of an app's `POST /api/jobs`), as an
 * allow-list: `{ ok: true, value }` with only the creation fields, or `{ ok: false, message }`
 * naming the field, what was expected, what was found and the fix. Use it before
 * `VideosClient.createVideo` so that a user can never set the job's webhook (and so read its
 * signing secret) or any field the app did not mean to forward.
 *
 * @example
 * ```ts
 * const parsed = parseCreateVideoRequest(req.body);
 * if (!parsed.ok) return res.status(400).json({ error: 'invalid_request', message: parsed.message });
 * ```
 */
export function parseCreateVideoRequest(body: unknown): ParsedCreateVideoRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return {
      ok: false,
      message: `Expected a JSON object such as {"model": "…", "prompt": "…"}, found ${describeFound(body)}. Fix: send Content-Type: application/json with an object body.`,
    };
  }
  const result = createVideoRequestSchema.safeParse(body);
  if (result.success) return { ok: true, value: result.data };
  const unknown = result.error.issues.find((issue) => issue.code === 'unrecognized_keys');
  if (unknown) return { ok: false, message: unknownFieldMessage(unknown.keys) };
  const issue = result.error.issues[0]!;
  const field = String(issue.path[0]);
  return {
    ok: false,
    message: `Field "${field}": ${issue.message}, found ${describeFound((body as Record<string, unknown>)[field])}.`,
  };
}

/**
 * The body of `POST {base}/videos`: the validated fields, plus `webhook: { url, secret, events }`
 * when the app has a target (its public webhook URL); without one the job has no webhook.
 *
 * @example
 * ```ts
 * const target = { url: process.env.PUBLIC_WEBHOOK_URL!, secret, events: VIDEO_WEBHOOK_EVENTS };
 * await api.createVideo(videoCreateBody(parsed.value, target));
 * ```
 */
export function videoCreateBody(
  request: CreateVideoRequest,
  webhook: WebhookTarget | undefined,
): CreateVideoRequest & { webhook?: { url: string; secret: string; events: string[] } } {
  if (!webhook) return { ...request };
  return { ...request, webhook: { url: webhook.url, secret: webhook.secret, events: [...webhook.events] } };
}
