import { isPlainJobId } from '@ai-stats-webhooks/core';
import { z } from 'zod';

/** The creation fields `POST /api/jobs` forwards to `POST {base}/videos` (wire spec §8.2); nothing else. */
export const CREATE_JOB_FIELDS = [
  'model',
  'prompt',
  'seconds',
  'size',
  'audio',
  'quality',
  'remixed_from_video_id',
] as const;

/** The subscriptions of the webhook this app attaches to the jobs it creates: every video phase. */
export const WEBHOOK_EVENTS: readonly string[] = Object.freeze([
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

/** The body of `POST /api/jobs`: a strict object, so an unknown field (a `webhook`, say) is an error. */
export const createJobRequestSchema = z.strictObject({
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

/** A validated `POST /api/jobs` body. */
export type CreateJobRequest = z.infer<typeof createJobRequestSchema>;

/** Where the webhooks of created jobs go: configuration only, never the request. */
export interface WebhookTarget {
  readonly url: string;
  readonly secret: string;
  readonly events: readonly string[];
}

const describe = (value: unknown): string => {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  if (value === null || typeof value !== 'object') return JSON.stringify(value).slice(0, 60);
  return 'an object';
};

/**
 * Validates a `POST /api/jobs` body: `{ ok: true, value }` with only the allowed fields, or
 * `{ ok: false, message }` naming the field, what was expected, what was found and the fix.
 *
 * @example
 * ```ts
 * const parsed = parseCreateJobRequest(req.body);
 * if (!parsed.ok) return res.status(400).json({ error: 'invalid_request', message: parsed.message });
 * ```
 */
export function parseCreateJobRequest(
  body: unknown,
): { ok: true; value: CreateJobRequest } | { ok: false; message: string } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return {
      ok: false,
      message: `Expected a JSON object such as {"model": "…", "prompt": "…"}, found ${describe(body)}. Fix: send Content-Type: application/json with an object body.`,
    };
  }
  const result = createJobRequestSchema.safeParse(body);
  if (result.success) return { ok: true, value: result.data };
  const unknown = result.error.issues.find((issue) => issue.code === 'unrecognized_keys');
  if (unknown) {
    const names = unknown.keys.slice(0, 5).map((key) => JSON.stringify(key.slice(0, 40)));
    return {
      ok: false,
      message: `Unknown field ${names.join(', ')}: expected only ${CREATE_JOB_FIELDS.join(', ')}. Fix: remove it; the webhook comes from PUBLIC_WEBHOOK_URL, never from the request.`,
    };
  }
  const issue = result.error.issues[0]!;
  const field = String(issue.path[0]);
  return {
    ok: false,
    message: `Field "${field}": ${issue.message}, found ${describe((body as Record<string, unknown>)[field])}.`,
  };
}

/**
 * The body of `POST {base}/videos`: the validated fields, plus `webhook: { url, secret, events }`
 * when a target is configured (PUBLIC_WEBHOOK_URL); without one the job has no webhook.
 *
 * @example
 * ```ts
 * await api.createVideo(videoCreateBody(parsed.value, { url, secret: secrets[0], events: WEBHOOK_EVENTS }));
 * ```
 */
export function videoCreateBody(
  request: CreateJobRequest,
  webhook: WebhookTarget | undefined,
): CreateJobRequest & { webhook?: { url: string; secret: string; events: string[] } } {
  if (!webhook) return { ...request };
  return { ...request, webhook: { url: webhook.url, secret: webhook.secret, events: [...webhook.events] } };
}
