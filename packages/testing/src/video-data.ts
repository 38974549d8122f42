import { lifecycleStatus, publicStatus, type MockInternalStatus } from './job-lifecycle';
import { PUBLIC_BASE_URL } from './public-base-url';
import { failureFields, upstreamError, type UpstreamError } from './upstream-error';

/** What {@link videoData} needs of a video job; everything but `id` and `status` has a default. */
export interface VideoSnapshot {
  readonly id: string;
  readonly status: MockInternalStatus;
  /** `data.progress`: the bucket on progress events. Default 100 when completed, else 0. */
  readonly progress?: number;
  /** Default `google-vertex`. */
  readonly provider?: string;
  /** Default `google/veo-3.1-lite`. */
  readonly model?: string;
  /** The provider's id. Default `native_<id>`. */
  readonly nativeId?: string;
  /** Default 8. */
  readonly durationSeconds?: number;
  /** `bytes`, `signed_url` or `both` (default). */
  readonly outputAccess?: string;
  /** The `webhook` block (spec §6.5); left out when absent. */
  readonly webhook?: Record<string, unknown>;
  /** Default: the kind's `DEFAULT_UPSTREAM_ERRORS` entry when failed, else null. */
  readonly upstreamError?: UpstreamError | null;
  /** ISO time. Default now. */
  readonly createdAt?: string;
}

/**
 * The webhook `data` snapshot of a video job, built as the sender builds it (spec §6.2): its
 * fields in the sender's order, the public and lifecycle words of the job lifecycle table, the
 * payload URLs under the public base URL, and `upstream_error` filled when the job failed.
 *
 * @example
 * ```ts
 * videoData({ id: 'G-01', status: 'in_progress', progress: 50 }).lifecycle_status; // 'running'
 * ```
 */
export function videoData(job: VideoSnapshot): Record<string, unknown> {
  const completed = job.status === 'completed';
  const url = `${PUBLIC_BASE_URL}/v1/videos/${job.id}`;
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
    websocket_url: `wss://api.phaseo.app/v1/async/video/${job.id}/ws`,
    cancel_url: null,
    content_url: `${url}/content`,
    download_url: null,
    expires_at: null,
    duration_seconds: job.durationSeconds ?? 8,
    resolution: '720p',
    quality: null,
    output_access: job.outputAccess ?? 'both',
    ...(job.webhook ? { webhook: job.webhook } : {}),
    ...failureFields(job.upstreamError !== undefined ? job.upstreamError : defaultFailure(job.status)),
    pricing_breakdown: completed ? { total_nanos: 400_000_000, total_usd_str: '0.400000000' } : null,
    created_at: job.createdAt ?? new Date().toISOString(),
    updated_at: new Date().toISOString(),
  };
}

// The sender fills `upstream_error` on failures; a cancelled or expired job has none.
function defaultFailure(status: MockInternalStatus): UpstreamError | null {
  return status === 'failed' ? upstreamError('video') : null;
}
