import type { JobKind, WebhookEventType } from '@ai-stats-webhooks/core';

/** The public base URL every payload URL uses. */
export const PUBLIC_BASE_URL = 'https://api.phaseo.app';

/**
 * The sender's progress bucket for a reading, or undefined when the reading produces no event
 * (`p <= 0` or `p >= 100`). Buckets: 5, 10, 20, …, 90, 95 (spec §4).
 *
 * @example
 * ```ts
 * progressBucket(52); // 50
 * progressBucket(99.6); // 95
 * ```
 */
export function progressBucket(progress: number): number | undefined {
  if (!(progress > 0 && progress < 100)) return undefined;
  return Math.min(95, Math.max(5, Math.round(Math.round(progress) / 10) * 10));
}

/**
 * The sender's event id: `evt_<kind>_<jobId>_<deliveryKey>`, collapsed and truncated (spec §4).
 *
 * @example
 * ```ts
 * eventId('video', 'G-01', 'video.progress:50'); // 'evt_video_G-01_video_progress_50'
 * ```
 */
export function eventId(kind: JobKind, jobId: string, deliveryKey: string): string {
  return ['evt', kind, jobId, deliveryKey]
    .join('_')
    .replace(/[^A-Za-z0-9_-]+/g, '_')
    .slice(0, 160);
}

/** Options of {@link createDelivery}. */
export interface CreateDeliveryOptions {
  readonly type: WebhookEventType;
  /** The job's `data`: at least `id`; everything else gets realistic defaults. */
  readonly job: { readonly id: string; readonly [field: string]: unknown };
  /** 1-based. Default 1. */
  readonly attempt?: number;
  /** Seconds; the send time of this attempt. Default now. */
  readonly createdAt?: number;
  /** For `*.status_changed`: internal words, e.g. `{ previous: 'queued', current: 'in_progress' }`. */
  readonly statusChange?: { readonly previous: string | null; readonly current: string | null };
}

const PUBLIC_STATUS: Record<string, string> = { created: 'queued', progress: 'processing' };
const LIFECYCLE: Record<string, string> = { queued: 'pending', processing: 'running' };

/**
 * Builds a G2+ event body exactly as the sender does: envelope keys in order, the event id and
 * delivery key formats of the spec, and a `data` snapshot with the sender's fields.
 *
 * @example
 * ```ts
 * const body = createDelivery({ type: 'video.progress', job: { id: 'G-01', progress: 52 } });
 * body.delivery.key; // 'video.progress:50'
 * ```
 */
export function createDelivery(options: CreateDeliveryOptions) {
  const [kind, phase] = options.type.split('.') as [JobKind, string];
  let key: string = options.type;
  if (phase === 'progress') {
    const bucket = progressBucket(Number(options.job.progress ?? 50));
    if (bucket === undefined)
      throw new Error(
        `createDelivery: a progress event needs 0 < progress < 100, found ${String(options.job.progress)}.`,
      );
    key = `${kind}.progress:${bucket}`;
  } else if (phase === 'status_changed') {
    const change = options.statusChange ?? { previous: 'queued', current: 'in_progress' };
    key = `${kind}.status_changed:${change.previous || 'unknown'}:${change.current || 'unknown'}`;
  }
  const status = String(
    options.job.status ?? PUBLIC_STATUS[phase] ?? (phase === 'status_changed' ? 'processing' : phase),
  );
  const data = kind === 'video' ? videoData(options.job, status, key) : batchData(options.job, status);
  return {
    id: eventId(kind, options.job.id, key),
    type: options.type,
    created_at: options.createdAt ?? Math.floor(Date.now() / 1000),
    delivery: { key, attempt: options.attempt ?? 1, max_attempts: 4 },
    data,
    ...(phase === 'status_changed'
      ? {
          status_change: {
            previous_status: options.statusChange?.previous ?? 'queued',
            status: options.statusChange?.current ?? 'in_progress',
          },
        }
      : {}),
  };
}

function videoData(job: CreateDeliveryOptions['job'], status: string, key: string): Record<string, unknown> {
  const id = job.id;
  const bucket = key.includes('.progress:') ? Number(key.split(':')[1]) : undefined;
  // Built in the sender's key order; the caller's fields then override values, not positions.
  const data: Record<string, unknown> = {
    id,
    object: 'video',
    kind: 'video',
    status,
    lifecycle_status: LIFECYCLE[status] ?? status,
    request_id: id,
    native_id: `native_${id}`,
    session_id: null,
    app_id: null,
    progress: bucket ?? (status === 'completed' ? 100 : 0),
    provider: 'google-vertex',
    model: 'google/veo-3.1-lite',
    polling_url: `${PUBLIC_BASE_URL}/v1/videos/${id}`,
    websocket_url: `wss://api.phaseo.app/v1/async/video/${id}/ws`,
    cancel_url: null,
    content_url: `${PUBLIC_BASE_URL}/v1/videos/${id}/content`,
    download_url: null,
    expires_at: null,
    duration_seconds: 8,
    resolution: '720p',
    quality: null,
    output_access: 'both',
    upstream_error: null,
    pricing_breakdown: null,
    created_at: new Date().toISOString(),
    updated_at: new Date().toISOString(),
  };
  return Object.assign(data, job, bucket === undefined ? {} : { progress: bucket }, { status });
}

function batchData(job: CreateDeliveryOptions['job'], status: string): Record<string, unknown> {
  const data: Record<string, unknown> = {
    id: job.id,
    object: 'batch',
    kind: 'batch',
    status,
    lifecycle_status: status,
    progress: status === 'completed' ? 100 : 0,
    provider: 'openai',
    model: 'openai/gpt-5-mini',
    polling_url: `${PUBLIC_BASE_URL}/v1/batches/${job.id}`,
    request_counts: null,
    upstream_error: null,
    created_at: new Date().toISOString(),
    updated_at: new Date().toISOString(),
  };
  return Object.assign(data, job, { status });
}
