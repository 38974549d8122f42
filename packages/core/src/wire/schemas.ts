import { z } from 'zod';

// Objects are loose: unknown fields pass through untouched, and only the fields the kit relies on
// are checked. Fields the sender may send as null are nullable.

const text = z.string();
const nullableText = text.nullable().optional();
const nullableNumber = z.number().nullable().optional();

/** The job phases of wire event types (`<kind>.<phase>`). */
export const EVENT_PHASES = [
  'created',
  'progress',
  'status_changed',
  'completed',
  'failed',
  'cancelled',
  'expired',
] as const;
/** A wire event phase. */
export type EventPhase = (typeof EVENT_PHASES)[number];
/** The job kinds. */
export type JobKind = 'video' | 'batch';
/** Every event type the sender emits. */
export type WebhookEventType = `${JobKind}.${EventPhase}`;

/** `upstream_error` of a failed job (spec §6.2). */
export const upstreamErrorSchema = z.looseObject({
  code: nullableText,
  type: nullableText,
  message: nullableText,
  description: nullableText,
  param: nullableText,
  status: nullableNumber,
});

const videoDataShape = {
  id: text.min(1),
  object: z.literal('video').optional(),
  kind: z.literal('video').optional(),
  status: text,
  lifecycle_status: nullableText,
  progress: nullableNumber,
  provider: nullableText,
  model: nullableText,
  content_url: nullableText,
  download_url: nullableText,
  expires_at: nullableNumber,
  upstream_error: upstreamErrorSchema.nullable().optional(),
  created_at: nullableText,
  updated_at: nullableText,
};

/** `data` of a video event: the job as it was when that attempt was sent (spec §6.2). */
export const videoDataSchema = z.looseObject(videoDataShape);

const batchDataShape = {
  id: text.min(1),
  object: z.literal('batch').optional(),
  kind: z.literal('batch').optional(),
  status: text,
  lifecycle_status: nullableText,
  progress: nullableNumber,
  provider: nullableText,
  model: nullableText,
  output_file_id: nullableText,
  error_file_id: nullableText,
  request_counts: z.looseObject({ total: z.number(), completed: z.number(), failed: z.number() }).nullable().optional(),
  upstream_error: upstreamErrorSchema.nullable().optional(),
  created_at: nullableText,
  updated_at: nullableText,
};

/** `data` of a batch event (spec §6.3). */
export const batchDataSchema = z.looseObject(batchDataShape);

/** `status_change` of `*.status_changed` events: internal status words or null (spec §6.1). */
export const statusChangeSchema = z.looseObject({
  previous_status: text.nullable(),
  status: text.nullable(),
});

/** `delivery` of the envelope (spec §6.1). */
export const deliverySchema = z.looseObject({
  key: text.min(1).max(512),
  attempt: z.number().int().min(1),
  max_attempts: z.number().int().min(1),
});

const envelopeFields = {
  id: text.min(1).max(512),
  created_at: z.number().int().nonnegative(),
  delivery: deliverySchema,
  status_change: statusChangeSchema.nullable().optional(),
};

const videoType = z.templateLiteral(['video.', z.enum(EVENT_PHASES)]);
const batchType = z.templateLiteral(['batch.', z.enum(EVENT_PHASES)]);

/** A G2+ video event. */
export const videoEventSchema = z.looseObject({ ...envelopeFields, type: videoType, data: videoDataSchema });

/** A G2+ batch event. */
export const batchEventSchema = z.looseObject({ ...envelopeFields, type: batchType, data: batchDataSchema });

/**
 * The same rules as {@link videoEventSchema} and {@link batchEventSchema}, for checking only: they
 * do not copy the dozens of undeclared fields, which makes validation about 5× cheaper. The
 * receiver checks with these and keeps the original parsed object, so every field still passes
 * through (the schemas have no transforms or defaults, so nothing else differs).
 */
export const eventChecks = {
  video: z.object({ ...envelopeFields, type: videoType, data: z.object(videoDataShape) }),
  batch: z.object({ ...envelopeFields, type: batchType, data: z.object(batchDataShape) }),
} as const;

/**
 * The G2+ envelope `{ id, type, created_at, delivery, data, status_change? }`, for either kind.
 *
 * @example
 * ```ts
 * const event = webhookEventSchema.parse(JSON.parse(rawBody));
 * ```
 */
export const webhookEventSchema = z.union([videoEventSchema, batchEventSchema]);

/** The G0–G1 body `{ type, created_at, data }` with no id and no delivery key. */
export const legacyEventSchema = z.looseObject({
  type: z.templateLiteral([z.enum(['video', 'batch']), '.', z.enum(EVENT_PHASES)]),
  created_at: z.number().int().nonnegative().optional(),
  data: z.looseObject({ id: text.min(1), status: text.optional(), progress: nullableNumber }),
});

// A field of the video object that the kit never reads: kept when it has the documented type, else
// null, so an API that changes an informational field (a timestamp in seconds, an object for a
// model) cannot make its answer unusable; the fields the kit reads stay strict.
function informational<T extends z.ZodType>(schema: T) {
  return schema.nullable().optional().catch(null);
}

/**
 * `GET /v1/videos/{id}`: the public video object, not the webhook `data` (spec §8.2). The fields
 * the kit reads (`id`, `status`, `progress`, `poll_after_seconds`, the output URLs and expiry,
 * `error`) must have their documented types; the informational ones (`lifecycle_status`, `seconds`,
 * `created_at`, `completed_at`, `provider`, `model`, an output's `index` and `mime_type`) are null
 * when they have another type; undeclared fields pass through.
 */
export const videoObjectSchema = z.looseObject({
  id: text.min(1),
  object: informational(z.literal('video')),
  status: text,
  lifecycle_status: informational(text),
  progress: nullableNumber,
  poll_after_seconds: nullableNumber,
  // A string for OpenAI ("4"), a number elsewhere.
  seconds: informational(z.union([z.number(), text])),
  // Seconds when the provider supplies it, else an ISO string.
  created_at: informational(z.union([z.number(), text])),
  completed_at: informational(z.union([z.number(), text])),
  provider: informational(text),
  model: informational(text),
  content_url: nullableText,
  download_url: nullableText,
  expires_at: nullableNumber,
  outputs: z
    .array(
      z.looseObject({
        index: informational(z.number()),
        mime_type: informational(text),
        content_url: nullableText,
        download_url: nullableText,
        expires_at: nullableNumber,
      }),
    )
    .optional(),
  // A string, or an object for OpenAI.
  error: z.unknown().optional(),
});

/** `GET /v1/videos` list envelope (spec §8.3). */
export const videoListSchema = z.looseObject({
  object: z.literal('list'),
  data: z.array(videoObjectSchema),
  first_id: nullableText,
  last_id: nullableText,
  has_more: z.boolean(),
});

/** `GET /v1/batches/{id}`: its shape is not pinned down by the sender, so only id and status. */
export const batchObjectSchema = z.looseObject({
  id: text.min(1),
  status: text,
  progress: nullableNumber,
});

/** An API error body: `{ error, reason?, message?, … }` (spec §8.6). */
export const apiErrorBodySchema = z.looseObject({
  error: text,
  reason: nullableText,
  message: nullableText,
});

/** A video event, as validated. */
export type VideoEvent = z.infer<typeof videoEventSchema>;
/** A batch event, as validated. */
export type BatchEvent = z.infer<typeof batchEventSchema>;
/** Any G2+ event. */
export type WebhookEvent = VideoEvent | BatchEvent;
/** A G0–G1 event. */
export type LegacyEvent = z.infer<typeof legacyEventSchema>;
/** The public video object of `GET /v1/videos/{id}`. */
export type VideoObject = z.infer<typeof videoObjectSchema>;
/** The list envelope of `GET /v1/videos`. */
export type VideoList = z.infer<typeof videoListSchema>;
/** The batch object of `GET /v1/batches/{id}`. */
export type BatchObject = z.infer<typeof batchObjectSchema>;
/** Video event `data`. */
export type VideoData = z.infer<typeof videoDataSchema>;
/** Batch event `data`. */
export type BatchData = z.infer<typeof batchDataSchema>;
