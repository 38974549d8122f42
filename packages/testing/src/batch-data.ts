import { jobBilling, reservationStatus } from './job-billing';
import { lifecycleStatus, publicStatus, type MockInternalStatus } from './job-lifecycle';
import { jobTimeline, type JobTimeline } from './job-timeline';
import { DEFAULT_API_BASE_URL, websocketUrl } from './api-base-url';
import { failureFields, upstreamError, type UpstreamError } from './upstream-error';
import type { JobSnapshot } from './job-snapshot';

/** What {@link batchData} needs of a batch job; everything but `id` and `status` has a default. */
export interface BatchSnapshot extends JobSnapshot {
  /**
   * `data.progress`, the explicit value (a bucket on progress events). Default: 100 when
   * completed, else (completed + failed) / total of `request_counts` (spec §6.3).
   */
  readonly progress?: number;
  /** Default `openai`. */
  readonly provider?: string;
  /** Default `openai/gpt-5-mini`. */
  readonly model?: string;
}

const REQUESTS = 10;
// Per request, from the spec fixture batch.completed.json (2 requests: 40500 held, 20250 charged).
const ESTIMATED_NANOS = 20_250;
const SETTLED_NANOS = 10_125;

/**
 * The webhook `data` snapshot of a batch job, built as the sender builds it (spec §6.3): its
 * fields in the sender's order, the batch status words of the job lifecycle table, ten requests
 * counted by outcome (progress follows them), the telemetry and billing of its lifecycle stage,
 * the payload URLs under `baseUrl` (default: the public API), and `upstream_error` filled when the
 * batch failed.
 *
 * @example
 * ```ts
 * batchData({ id: 'batch_01', status: 'queued' }).status; // 'pending'
 * ```
 */
export function batchData(job: BatchSnapshot): Record<string, unknown> {
  const counts = requestCounts(job);
  const time = jobTimeline({ kind: 'batch', status: job.status, ...moments(job) });
  const requestId = `G-${job.id.replace(/^batch_/, '')}`;
  const baseUrl = job.baseUrl ?? DEFAULT_API_BASE_URL;
  return {
    id: job.id,
    object: 'batch',
    kind: 'batch',
    status: publicStatus(job.status, 'batch'),
    lifecycle_status: lifecycleStatus(job.status),
    progress: job.progress ?? progressOf(job.status, counts),
    request_id: requestId,
    session_id: null,
    app_id: null,
    native_id: job.nativeId ?? `native_${job.id}`,
    provider: job.provider ?? 'openai',
    model: job.model ?? 'openai/gpt-5-mini',
    polling_url: `${baseUrl}/batches/${job.id}`,
    websocket_url: websocketUrl(baseUrl, 'batch', job.id),
    cancel_url: null,
    ...(job.webhook ? { webhook: job.webhook } : {}),
    ...batchDetails(job, counts, requestId),
    ...telemetry(time),
    request_counts: counts,
    ...failureFields(job.upstreamError !== undefined ? job.upstreamError : defaultFailure(job.status)),
    billing: billing(job.status, counts, requestId, time),
    created_at: time.createdAt,
    updated_at: time.updatedAt,
  };
}

interface RequestCounts {
  readonly total: number;
  readonly completed: number;
  readonly failed: number;
}

function moments(job: BatchSnapshot): { createdAt?: string; sentAt?: number; attempt?: number } {
  return {
    ...(job.createdAt === undefined ? {} : { createdAt: job.createdAt }),
    ...(job.sentAt === undefined ? {} : { sentAt: job.sentAt }),
    ...(job.attempt === undefined ? {} : { attempt: job.attempt }),
  };
}

// Ten requests: all done when completed, all failed when failed; while running, as many done as
// an explicit progress says.
function requestCounts(job: BatchSnapshot): RequestCounts {
  const running = job.status === 'in_progress' && job.progress !== undefined;
  const done = job.status === 'completed' ? REQUESTS : running ? Math.round((job.progress! / 100) * REQUESTS) : 0;
  return { total: REQUESTS, completed: done, failed: job.status === 'failed' ? REQUESTS : 0 };
}

function progressOf(status: MockInternalStatus, counts: RequestCounts): number {
  if (status === 'completed') return 100;
  return counts.total > 0 ? Math.round(((counts.completed + counts.failed) / counts.total) * 100) : 0;
}

function batchDetails(job: BatchSnapshot, counts: RequestCounts, requestId: string): Record<string, unknown> {
  const suffix = job.id.replace(/^batch_/, '');
  const settled = settledNanos(job.status, counts);
  return {
    endpoint: '/v1/responses',
    completion_window: '24h',
    input_file_id: `file_${suffix}`,
    output_file_id: job.status === 'completed' ? `file-${suffix.slice(0, 12)}` : null,
    error_file_id: counts.failed > 0 ? `file-err${suffix.slice(0, 9)}` : null,
    key_source: 'gateway',
    byok_key_id: null,
    reservation_id: `batch_hold:${requestId}`,
    reservation_status: reservationStatus(billingState(job.status, counts)),
    pricing_lines: settled === undefined ? [] : [pricingLine(counts.completed, settled)],
  };
}

// The line the sender derives from the settled total (spec §6.3).
function pricingLine(units: number, totalNanos: number): Record<string, unknown> {
  return {
    dimension: 'batch_requests',
    pricing_plan: 'batch',
    service_tier: 'batch',
    endpoint: '/v1/responses',
    units,
    total_nanos: totalNanos,
    total_usd_str: (totalNanos / 1e9).toFixed(9),
  };
}

function telemetry(time: JobTimeline): Record<string, unknown> {
  return {
    next_webhook_retry_at: time.nextWebhookRetryAt,
    last_webhook_progress: time.lastWebhookProgress,
    last_webhook_progress_at: time.lastWebhookProgressAt,
    last_webhook_dispatched_at: time.lastWebhookDispatchedAt,
    last_polled_at: time.lastPolledAt,
    polled_status: time.polledStatus,
    finalized_at: time.finalizedAt,
  };
}

// A batch is settled once any request was charged, even if it failed or was cancelled (spec §6.4).
function billingState(status: MockInternalStatus, counts: RequestCounts): 'estimated' | 'settled' | 'void' {
  if (status === 'queued' || status === 'in_progress') return 'estimated';
  return counts.completed > 0 ? 'settled' : 'void';
}

function settledNanos(status: MockInternalStatus, counts: RequestCounts): number | undefined {
  return billingState(status, counts) === 'settled' ? counts.completed * SETTLED_NANOS : undefined;
}

function billing(status: MockInternalStatus, counts: RequestCounts, requestId: string, time: JobTimeline) {
  return jobBilling({
    kind: 'batch',
    state: billingState(status, counts),
    estimatedNanos: counts.total * ESTIMATED_NANOS,
    totalNanos: settledNanos(status, counts) ?? 0,
    reservationId: `batch_hold:${requestId}`,
    finalizedAt: time.finalizedAt,
  });
}

// The sender fills `upstream_error` on failures; a cancelled or expired job has none.
function defaultFailure(status: MockInternalStatus): UpstreamError | null {
  return status === 'failed' ? upstreamError('batch') : null;
}
