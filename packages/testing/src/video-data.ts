import { jobBilling, reservationStatus } from './job-billing';
import { lifecycleStatus, publicStatus, type MockInternalStatus } from './job-lifecycle';
import { jobTimeline, type JobTimeline } from './job-timeline';
import { DEFAULT_API_BASE_URL, websocketUrl } from './api-base-url';
import { failureFields, upstreamError, type UpstreamError } from './upstream-error';
import type { JobSnapshot } from './job-snapshot';

/** What {@link videoData} needs of a video job; everything but `id` and `status` has a default. */
export interface VideoSnapshot extends JobSnapshot {
  /** `data.progress`: the bucket on progress events. Default 100 when completed, else 0. */
  readonly progress?: number;
  /** Default `google-vertex`. */
  readonly provider?: string;
  /** Default `google/veo-3.1-lite`. */
  readonly model?: string;
  /** Default 8. */
  readonly durationSeconds?: number;
  /** `bytes`, `signed_url` or `both` (default). */
  readonly outputAccess?: string;
}

// Cost of a second of video: an 8 s video costs $0.40 (spec fixture video.completed.json).
const NANOS_PER_SECOND = 50_000_000;
// Job durations of the fixture video.completed.json: provider accept latency, wall time.
const LATENCY_MS = 912;
const TOTAL_MS = 121_840;

/**
 * The webhook `data` snapshot of a video job, built as the sender builds it (spec §6.2): its
 * fields in the sender's order, the public and lifecycle words of the job lifecycle table, the
 * payload URLs under `baseUrl` (default: the public API), and `upstream_error` filled when the job failed.
 *
 * @example
 * ```ts
 * videoData({ id: 'G-01', status: 'in_progress', progress: 50 }).lifecycle_status; // 'running'
 * ```
 */
export function videoData(job: VideoSnapshot): Record<string, unknown> {
  const completed = job.status === 'completed';
  const baseUrl = job.baseUrl ?? DEFAULT_API_BASE_URL;
  const url = `${baseUrl}/videos/${job.id}`;
  const time = jobTimeline({
    kind: 'video',
    status: job.status,
    sentAt: job.sentAt,
    createdAt: job.createdAt,
    attempt: job.attempt,
    progressBucket: job.status === 'in_progress' ? job.progress : undefined,
  });
  const durationSeconds = job.durationSeconds ?? 8;
  return {
    id: job.id,
    object: 'video',
    kind: 'video',
    status: publicStatus(job.status, 'video'),
    lifecycle_status: lifecycleStatus(job.status),
    request_id: job.id,
    native_id: job.nativeId ?? `native_${job.id}`,
    session_id: null,
    app_id: null,
    progress: job.progress ?? (completed ? 100 : 0),
    provider: job.provider ?? 'google-vertex',
    model: job.model ?? 'google/veo-3.1-lite',
    polling_url: url,
    websocket_url: websocketUrl(baseUrl, 'video', job.id),
    cancel_url: null,
    content_url: `${url}/content`,
    download_url: null,
    expires_at: null,
    duration_seconds: durationSeconds,
    ...durations(job.status),
    resolution: '720p',
    quality: null,
    output_access: job.outputAccess ?? 'both',
    ...(job.webhook ? { webhook: job.webhook } : {}),
    ...keysAndTelemetry(job, time),
    ...failureFields(job.upstreamError !== undefined ? job.upstreamError : defaultFailure(job.status)),
    ...money(job, durationSeconds * NANOS_PER_SECOND, time),
    created_at: time.createdAt,
    updated_at: time.updatedAt,
  };
}

// Known once the provider accepted the job (latency), and the rest once it completed.
function durations(status: MockInternalStatus): Record<string, number | null> {
  const completed = status === 'completed';
  return {
    duration_ms: completed ? TOTAL_MS : null,
    total_duration_ms: completed ? TOTAL_MS : null,
    latency_ms: status === 'queued' ? null : LATENCY_MS,
    generation_ms: completed ? TOTAL_MS - LATENCY_MS : null,
  };
}

function keysAndTelemetry(job: VideoSnapshot, time: JobTimeline): Record<string, unknown> {
  return {
    key_source: 'gateway',
    byok_key_id: null,
    reservation_id: `video_hold:${job.id}`,
    reservation_status: reservationStatus(billingState(job.status)),
    next_webhook_retry_at: time.nextWebhookRetryAt,
    last_webhook_progress: time.lastWebhookProgress,
    last_webhook_progress_at: time.lastWebhookProgressAt,
    last_webhook_dispatched_at: time.lastWebhookDispatchedAt,
    finalized_at: time.finalizedAt,
    last_polled_at: time.lastPolledAt,
    polled_status: time.polledStatus,
    last_reconciled_at: time.lastPolledAt,
  };
}

// A completed video is charged its price; a failed, cancelled or expired one is void (spec §6.4).
function money(job: VideoSnapshot, estimatedNanos: number, time: JobTimeline): Record<string, unknown> {
  const state = billingState(job.status);
  const total = state === 'settled' ? estimatedNanos : 0;
  const billing = jobBilling({
    kind: 'video',
    state,
    estimatedNanos,
    totalNanos: total,
    reservationId: `video_hold:${job.id}`,
    finalizedAt: time.finalizedAt,
  });
  const breakdown = state === 'estimated' ? null : { total_nanos: total, total_usd_str: (total / 1e9).toFixed(9) };
  return { pricing_breakdown: breakdown, billing };
}

function billingState(status: MockInternalStatus): 'estimated' | 'settled' | 'void' {
  if (status === 'queued' || status === 'in_progress') return 'estimated';
  return status === 'completed' ? 'settled' : 'void';
}

// The sender fills `upstream_error` on failures; a cancelled or expired job has none.
function defaultFailure(status: MockInternalStatus): UpstreamError | null {
  return status === 'failed' ? upstreamError('video') : null;
}
