import type { MockInternalStatus } from './job-lifecycle';
import type { UpstreamError } from './upstream-error';

/**
 * What the `data` builders ({@link videoData}, {@link batchData}) need of any job; everything but
 * `id` and `status` has a default. Each kind adds its own fields and defaults.
 *
 * @example
 * ```ts
 * const snapshot: JobSnapshot = { id: 'G-01KA7Q3M9V2X5C8B4N6D1F0H7J', status: 'processing', attempt: 2 };
 * ```
 */
export interface JobSnapshot {
  readonly id: string;
  readonly status: MockInternalStatus;
  /** The provider's id. Default `native_<id>`. */
  readonly nativeId?: string;
  /** The `webhook` block (spec §6.5); left out when absent. */
  readonly webhook?: Record<string, unknown>;
  /** Default: the kind's `DEFAULT_UPSTREAM_ERRORS` entry when failed, else null. */
  readonly upstreamError?: UpstreamError | null;
  /** ISO time. Default: as long before `sentAt` as the job takes to reach its status. */
  readonly createdAt?: string;
  /** Ms: when this attempt is sent; the telemetry times are never later. Default now. */
  readonly sentAt?: number;
  /** The delivery attempt, 1–4: attempts 2–4 carry `next_webhook_retry_at`. Default 1. */
  readonly attempt?: number;
  /**
   * The API base URL (with `/v1`, no trailing slash) the payload URLs are built under; the mock
   * gateway passes its own. Default `DEFAULT_API_BASE_URL`, the public API.
   */
  readonly baseUrl?: string;
}
