import { lifecycleStatus, publicStatus, type MockInternalStatus } from './job-lifecycle';
import { PUBLIC_BASE_URL } from './public-base-url';
import { failureFields, upstreamError, type UpstreamError } from './upstream-error';

/** What {@link batchData} needs of a batch job; everything but `id` and `status` has a default. */
export interface BatchSnapshot {
  readonly id: string;
  readonly status: MockInternalStatus;
  /** `data.progress`. Default 100 when completed, else 0. */
  readonly progress?: number;
  /** Default `openai`. */
  readonly provider?: string;
  /** Default `openai/gpt-5-mini`. */
  readonly model?: string;
  /** The provider's id. Default `native_<id>`. */
  readonly nativeId?: string;
  /** The `webhook` block (spec §6.5); left out when absent. */
  readonly webhook?: Record<string, unknown>;
  /** Default: the kind's `DEFAULT_UPSTREAM_ERRORS` entry when failed, else null. */
  readonly upstreamError?: UpstreamError | null;
  /** ISO time. Default now. */
  readonly createdAt?: string;
}

/**
 * The webhook `data` snapshot of a batch job, built as the sender builds it (spec §6.3): its
 * fields in the sender's order, the batch status words of the job lifecycle table, ten requests
 * counted by outcome, and `upstream_error` filled when the batch failed.
 *
 * @example
 * ```ts
 * batchData({ id: 'batch_01', status: 'queued' }).status; // 'pending'
 * ```
 */
export function batchData(job: BatchSnapshot): Record<string, unknown> {
  const completed = job.status === 'completed';
  return {
    id: job.id,
    object: 'batch',
    kind: 'batch',
    status: publicStatus(job.status, 'batch'),
    lifecycle_status: lifecycleStatus(job.status),
    progress: job.progress ?? (completed ? 100 : 0),
    request_id: `G-${job.id.replace(/^batch_/, '')}`,
    session_id: null,
    app_id: null,
    native_id: job.nativeId ?? `native_${job.id}`,
    provider: job.provider ?? 'openai',
    model: job.model ?? 'openai/gpt-5-mini',
    polling_url: `${PUBLIC_BASE_URL}/v1/batches/${job.id}`,
    websocket_url: `wss://api.phaseo.app/v1/async/batch/${job.id}/ws`,
    cancel_url: null,
    ...(job.webhook ? { webhook: job.webhook } : {}),
    endpoint: '/v1/responses',
    completion_window: '24h',
    output_file_id: completed ? `file-${job.id.replace(/^batch_/, '').slice(0, 12)}` : null,
    error_file_id: null,
    request_counts: { total: 10, completed: completed ? 10 : 0, failed: job.status === 'failed' ? 10 : 0 },
    ...failureFields(job.upstreamError !== undefined ? job.upstreamError : defaultFailure(job.status)),
    created_at: job.createdAt ?? new Date().toISOString(),
    updated_at: new Date().toISOString(),
  };
}

// The sender fills `upstream_error` on failures; a cancelled or expired job has none.
function defaultFailure(status: MockInternalStatus): UpstreamError | null {
  return status === 'failed' ? upstreamError('batch') : null;
}
