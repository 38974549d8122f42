import type { JobKind } from '@ai-stats-webhooks/core';
import { PUBLIC_BASE_URL } from './create-delivery';

/** Internal statuses the mock moves through (the sender's own words, spec §8.1). */
export type MockInternalStatus = 'queued' | 'in_progress' | 'completed' | 'failed' | 'cancelled' | 'expired';

/** One delivery attempt, as the mock recorded it (the gateway's `webhook.attempts[]` shape, plus test facts). */
export interface DeliveryRecord {
  readonly eventId: string;
  readonly type: string;
  readonly deliveryKey: string;
  readonly jobId: string;
  readonly attempt: number;
  /** HTTP status, or null after a network error or timeout. */
  readonly responseStatus: number | null;
  readonly ok: boolean;
  readonly errorMessage: string | null;
  /** At most 500 bytes of the receiver's answer, as the real sender keeps. */
  readonly responseBodyPreview: string | null;
  readonly triedAt: string;
  /** `duplicate`: an injected twin; `dropped`: never sent (fault). */
  readonly fault: 'duplicate' | 'dropped' | 'reordered' | null;
  /** Set when this failed attempt will be retried. */
  readonly nextRetryAt: string | null;
}

/** A job held by the mock gateway. */
export interface MockJob {
  readonly id: string;
  readonly kind: JobKind;
  readonly model: string;
  readonly prompt: string;
  status: MockInternalStatus;
  /** The raw provider reading, 0–100. */
  progress: number;
  readonly createdAt: number;
  startedAt: number | null;
  completedAt: number | null;
  error: { code: string; message: string } | null;
  readonly webhook: { url: string | null; events: string[] };
  readonly willFail: boolean;
  readonly records: DeliveryRecord[];
}

const PUBLIC: Record<MockInternalStatus, string> = {
  queued: 'queued',
  in_progress: 'processing',
  completed: 'completed',
  failed: 'failed',
  cancelled: 'cancelled',
  expired: 'expired',
};
const LIFECYCLE: Record<MockInternalStatus, string> = { ...PUBLIC, queued: 'pending', in_progress: 'running' };

/** The public status word of a mock job. */
export function publicStatus(status: MockInternalStatus): string {
  return PUBLIC[status];
}

/** The `webhook` block, with a delivery summary computed from the recorded attempts. */
export function webhookState(job: MockJob): Record<string, unknown> {
  const sent = job.records.filter((r) => r.fault !== 'dropped');
  const delivered = sent.filter((r) => r.ok);
  const last = sent.at(-1);
  const lastFailure = [...sent].reverse().find((r) => !r.ok);
  return {
    endpoint_id: null,
    url: job.webhook.url,
    events: job.webhook.events,
    has_secret: true,
    delivery: {
      total_attempts: sent.length,
      delivered_events: new Set(delivered.map((r) => r.eventId)).size,
      delivered_event_types: [...new Set(delivered.map((r) => r.deliveryKey))].sort(),
      pending_retries: sent.filter(
        (r) => r.nextRetryAt !== null && !sent.some((s) => s.eventId === r.eventId && s.attempt === r.attempt + 1),
      ).length,
      next_retry_at: last?.nextRetryAt ?? null,
      last_attempt_at: last?.triedAt ?? null,
      last_attempt_status: last
        ? last.ok
          ? 'delivered'
          : last.nextRetryAt
            ? 'scheduled_retry'
            : 'failed_permanently'
        : null,
      last_response_status: last?.responseStatus ?? null,
      last_delivered_at: delivered.at(-1)?.triedAt ?? null,
      last_failure_at: lastFailure?.triedAt ?? null,
      last_error_message: lastFailure?.errorMessage ?? null,
    },
    attempts: sent.slice(-10).map((r) => ({
      id: `${r.deliveryKey}:${r.attempt}:${r.triedAt}`,
      delivery_key: r.deliveryKey,
      event_type: r.type,
      status: r.ok ? 'delivered' : r.nextRetryAt ? 'scheduled_retry' : 'failed_permanently',
      attempt_number: r.attempt,
      max_attempts: 4,
      tried_at: r.triedAt,
      delivered_at: r.ok ? r.triedAt : null,
      next_retry_at: r.nextRetryAt,
      response_status: r.responseStatus,
      error_message: r.errorMessage,
      response_body_preview: r.responseBodyPreview,
    })),
  };
}

/** The webhook `data` snapshot of a video job at send time (spec §6.2). */
export function videoData(job: MockJob, bucket?: number): Record<string, unknown> {
  const completed = job.status === 'completed';
  const url = `${PUBLIC_BASE_URL}/v1/videos/${job.id}`;
  return {
    id: job.id,
    object: 'video',
    kind: 'video',
    status: PUBLIC[job.status],
    lifecycle_status: LIFECYCLE[job.status],
    request_id: job.id,
    native_id: `mock_${job.id.slice(2).toLowerCase()}`,
    session_id: null,
    app_id: null,
    progress: bucket ?? (completed ? 100 : 0),
    provider: 'mock',
    model: job.model,
    polling_url: url,
    websocket_url: `wss://api.phaseo.app/v1/async/video/${job.id}/ws`,
    cancel_url: null,
    content_url: `${url}/content`,
    download_url: null,
    expires_at: null,
    duration_seconds: 4,
    resolution: '720p',
    quality: null,
    output_access: 'bytes',
    webhook: webhookState(job),
    upstream_error: job.error ? { ...job.error, type: null, description: null, param: 'prompt', status: 400 } : null,
    provider_failure_diagnostics: null,
    failure_sample: null,
    pricing_breakdown: completed ? { total_nanos: 400_000_000, total_usd_str: '0.400000000' } : null,
    created_at: new Date(job.createdAt).toISOString(),
    updated_at: new Date().toISOString(),
  };
}

/** The public video object of `GET /v1/videos/{id}` (spec §8.2), with content served by `baseUrl`. */
export function videoObject(
  job: MockJob,
  baseUrl: string,
  status: MockInternalStatus = job.status,
): Record<string, unknown> {
  const completed = status === 'completed';
  const content = `${baseUrl}/videos/${job.id}/content`;
  return {
    id: job.id,
    object: 'video',
    status: PUBLIC[status],
    lifecycle_status: LIFECYCLE[status],
    output_access: 'bytes',
    progress: completed ? 100 : Math.round(job.progress),
    progress_source: 'provider',
    polling_url: `${baseUrl}/videos/${job.id}`,
    websocket_url: `wss://api.phaseo.app/v1/async/video/${job.id}/ws`,
    poll_after_seconds: 20,
    cancel_url: null,
    generation_id: job.id,
    native_video_id: `mock_${job.id.slice(2).toLowerCase()}`,
    created_at: new Date(job.createdAt).toISOString(),
    started_at: job.startedAt ? new Date(job.startedAt).toISOString() : null,
    completed_at: job.completedAt ? new Date(job.completedAt).toISOString() : null,
    provider: 'mock',
    model: job.model,
    seconds: 4,
    size: '720p',
    audio: false,
    ...(completed
      ? {
          asset: {
            id: `ast_${job.id.slice(2)}`,
            mime_type: 'video/mp4',
            sha256: null,
            width: null,
            height: null,
            duration_seconds: 4,
          },
        }
      : {}),
    outputs: completed ? [{ index: 0, mime_type: 'video/mp4', bytes_available: true, content_url: content }] : [],
    usage: { is_byok: false },
    ...(job.error && status === 'failed' ? { error: job.error } : {}),
    webhook: webhookState(job),
    content_url: content,
  };
}

const BATCH_STATUS: Record<MockInternalStatus, string> = {
  queued: 'pending',
  in_progress: 'in_progress',
  completed: 'completed',
  failed: 'failed',
  cancelled: 'cancelled',
  expired: 'expired',
};

/** The webhook `data` snapshot of a batch job at send time (spec §6.3). */
export function batchData(job: MockJob): Record<string, unknown> {
  const completed = job.status === 'completed';
  return {
    id: job.id,
    object: 'batch',
    kind: 'batch',
    status: BATCH_STATUS[job.status],
    lifecycle_status: LIFECYCLE[job.status],
    progress: completed ? 100 : Math.round(job.progress),
    request_id: `G-${job.id.slice(6)}`,
    session_id: null,
    app_id: null,
    native_id: `mock_${job.id.toLowerCase()}`,
    provider: 'mock',
    model: job.model,
    polling_url: `${PUBLIC_BASE_URL}/v1/batches/${job.id}`,
    websocket_url: `wss://api.phaseo.app/v1/async/batch/${job.id}/ws`,
    cancel_url: null,
    webhook: webhookState(job),
    endpoint: '/v1/responses',
    completion_window: '24h',
    output_file_id: completed ? `file-${job.id.slice(6, 18)}` : null,
    error_file_id: null,
    request_counts: { total: 10, completed: completed ? 10 : 0, failed: job.status === 'failed' ? 10 : 0 },
    upstream_error: job.error ? { ...job.error, type: null, description: null, param: null, status: 400 } : null,
    created_at: new Date(job.createdAt).toISOString(),
    updated_at: new Date().toISOString(),
  };
}

/** `GET /v1/batches/{id}`: the batch object (its real shape is not pinned down; close to §6.3). */
export function batchObject(job: MockJob): Record<string, unknown> {
  const { webhook: _webhook, ...rest } = batchData(job);
  return rest;
}
