import type { JobKind } from '@ai-stats-webhooks/core';
import { websocketUrl } from './api-base-url';
import { batchData } from './batch-data';
import { lifecycleStatus, publicStatus, type MockInternalStatus } from './job-lifecycle';
import { upstreamError } from './upstream-error';
import { videoData } from './video-data';
import { webhookState } from './webhook-state';

export type { MockInternalStatus } from './job-lifecycle';

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

/**
 * The webhook `data` snapshot of a mock job at send time, from the same builders as
 * `createDelivery` (spec §6.2, §6.3): provider `mock`, its webhook block, its error, and every
 * payload URL under `baseUrl`, the mock's own API (never the production host).
 *
 * @example
 * ```ts
 * mockJobData(job, 'http://127.0.0.1:4010/v1', 50).progress; // 50, on a `video.progress:50` delivery
 * ```
 */
export function mockJobData(job: MockJob, baseUrl: string, bucket?: number): Record<string, unknown> {
  const common = {
    id: job.id,
    baseUrl,
    status: job.status,
    provider: 'mock',
    model: job.model,
    webhook: webhookState(job),
    upstreamError: job.error ? upstreamError(job.kind, job.error) : null,
    createdAt: new Date(job.createdAt).toISOString(),
  };
  if (job.kind === 'batch') {
    const progress = job.status === 'completed' ? 100 : Math.round(job.progress);
    return batchData({ ...common, progress, nativeId: `mock_${job.id.toLowerCase()}` });
  }
  const native = { nativeId: nativeVideoId(job), durationSeconds: 4, outputAccess: 'bytes' };
  return videoData({ ...common, ...native, ...(bucket === undefined ? {} : { progress: bucket }) });
}

/**
 * The public video object of `GET /v1/videos/{id}` (spec §8.2), with content served by `baseUrl`.
 *
 * @example
 * ```ts
 * videoObject(job, 'http://127.0.0.1:4010/v1').content_url; // 'http://127.0.0.1:4010/v1/videos/G-…/content'
 * ```
 */
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
    status: publicStatus(status, 'video'),
    lifecycle_status: lifecycleStatus(status),
    output_access: 'bytes',
    progress: completed ? 100 : Math.round(job.progress),
    progress_source: 'provider',
    polling_url: `${baseUrl}/videos/${job.id}`,
    websocket_url: websocketUrl(baseUrl, 'video', job.id),
    poll_after_seconds: 20,
    cancel_url: null,
    generation_id: job.id,
    native_video_id: nativeVideoId(job),
    created_at: new Date(job.createdAt).toISOString(),
    started_at: job.startedAt ? new Date(job.startedAt).toISOString() : null,
    completed_at: job.completedAt ? new Date(job.completedAt).toISOString() : null,
    provider: 'mock',
    model: job.model,
    seconds: 4,
    size: '720p',
    audio: false,
    ...(completed ? { asset: videoAsset(job) } : {}),
    outputs: completed ? [{ index: 0, mime_type: 'video/mp4', bytes_available: true, content_url: content }] : [],
    usage: { is_byok: false },
    ...(job.error && status === 'failed' ? { error: job.error } : {}),
    webhook: webhookState(job),
    content_url: content,
  };
}

/**
 * `GET /v1/batches/{id}`: the batch object (its real shape is not pinned down; close to §6.3),
 * with its URLs under `baseUrl`.
 *
 * @example
 * ```ts
 * batchObject(job, 'http://127.0.0.1:4010/v1').status; // 'in_progress'
 * ```
 */
export function batchObject(job: MockJob, baseUrl: string): Record<string, unknown> {
  const { webhook: _webhook, ...rest } = mockJobData(job, baseUrl);
  return rest;
}

function nativeVideoId(job: MockJob): string {
  return `mock_${job.id.slice(2).toLowerCase()}`;
}

function videoAsset(job: MockJob): Record<string, unknown> {
  return {
    id: `ast_${job.id.slice(2)}`,
    mime_type: 'video/mp4',
    sha256: null,
    width: null,
    height: null,
    duration_seconds: 4,
  };
}
