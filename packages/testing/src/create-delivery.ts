import type { WebhookEventType } from '@ai-stats-webhooks/core';
import { batchData } from './batch-data';
import { readDeliveryInput } from './delivery-input';
import { eventId } from './event-id';
import type { UpstreamError } from './upstream-error';
import { videoData } from './video-data';

/**
 * What a caller may say about the job of a delivery; every field is optional.
 *
 * @example
 * ```ts
 * const job: DeliveryJobInput = { id: 'G-01', upstream_error: { message: 'Out of credits.' } };
 * ```
 */
export interface DeliveryJobInput {
  /**
   * A plain job id token, as the receiver requires (`isPlainJobId` of the core): letters, digits,
   * `_ - . :`, 1-200 characters, not dots only, e.g. `G-01KA7Q3M9V2X5C8B4N6D1F0H7J`. Default: a
   * fresh `G-<ULID>` (video) or `batch_<ULID>` (batch).
   */
  readonly id?: string;
  /** A public or internal status word, kept as given in `data.status`. Default: the type's status. */
  readonly status?: string;
  /** Progress events: the reading, 0 < p < 100 (default 50), sent as its bucket. Else `data.progress`. */
  readonly progress?: number;
  /** Laid over the kind's default error (a partial object keeps the other keys); null for none. */
  readonly upstream_error?: Partial<UpstreamError> | null;
  /** Any other `data` field, laid over the built one. */
  readonly [field: string]: unknown;
}

/** Options of {@link createDelivery}. Only `type` is required. */
export interface CreateDeliveryOptions {
  /** The wire event type, e.g. `video.completed`. */
  readonly type: WebhookEventType;
  /**
   * The job's `data`: every field is optional. Without `id` a fresh `G-<ULID>` (video) or
   * `batch_<ULID>` (batch) is used; `status` defaults to the type's (a failure carries the kind's
   * default `upstream_error`); other fields are laid over the built ones.
   */
  readonly job?: DeliveryJobInput;
  /** 1-based, 1–4. Default 1. */
  readonly attempt?: number;
  /** Seconds; the send time of this attempt. Default now. */
  readonly createdAt?: number;
  /**
   * For `*.status_changed` only: internal words, e.g. `{ previous: 'queued', current: 'in_progress' }`
   * (the default). `data.status` follows `current`.
   */
  readonly statusChange?: { readonly previous: string | null; readonly current: string | null };
  /**
   * The API base URL the payload URLs (`polling_url`, `content_url`, `websocket_url`) are built
   * under, `/v1` included, e.g. a mock gateway's `gateway.baseUrl`. An absolute http(s) URL.
   * Default `https://api.phaseo.app/v1`, the public API, as the real sender sends them.
   */
  readonly baseUrl?: string;
}

/**
 * A G2+ event body as {@link createDelivery} builds it; `JSON.stringify` it for the wire bytes.
 *
 * @example
 * ```ts
 * const body: DeliveryBody = createDelivery({ type: 'batch.completed' });
 * ```
 */
export interface DeliveryBody {
  id: string;
  type: WebhookEventType;
  created_at: number;
  delivery: { key: string; attempt: number; max_attempts: number };
  data: Record<string, unknown>;
  status_change?: { previous_status: string | null; status: string | null };
}

/**
 * Builds a G2+ event body exactly as the sender does: envelope keys in order, the event id and
 * delivery key formats of the spec, and a `data` snapshot with the sender's fields (the same
 * builders the mock gateway sends with). Only `type` is needed: the job gets a fresh id and the
 * type's status; a failure carries `upstream_error` as in production. Bad input throws a
 * `TypeError` or `RangeError` saying what was expected, what was found and the fix.
 *
 * @example
 * ```ts
 * createDelivery({ type: 'video.failed' }).data.upstream_error; // { code: 'content_policy_violation', … }
 * const body = createDelivery({ type: 'video.progress', job: { id: 'G-01', progress: 52 } });
 * body.delivery.key; // 'video.progress:50'
 * ```
 */
export function createDelivery(options: CreateDeliveryOptions): DeliveryBody {
  const input = readDeliveryInput(options);
  const snapshot = {
    id: input.id,
    status: input.status,
    sentAt: input.createdAt * 1000,
    attempt: input.attempt,
    baseUrl: input.baseUrl,
    ...(input.progress === undefined ? {} : { progress: input.progress }),
    ...(input.upstreamError === undefined ? {} : { upstreamError: input.upstreamError }),
  };
  const built = input.kind === 'video' ? videoData(snapshot) : batchData(snapshot);
  const data = Object.assign(built, input.fields);
  return {
    id: eventId(input.kind, input.id, input.key),
    type: options.type,
    created_at: input.createdAt,
    delivery: { key: input.key, attempt: input.attempt, max_attempts: 4 },
    data,
    ...(input.statusChange ? { status_change: { ...input.statusChange } } : {}),
  };
}
