import { isWebhookError } from '../errors/webhook-error';
import type { BatchObject, VideoObject } from '../wire/schemas';

/** The delay between two polls when the API gives no `poll_after_seconds`. */
export const FALLBACK_INTERVAL_MS = 20_000;

/** The delays of {@link nextPollDelay} and {@link failureDelay}, resolved from the poller's options. */
export interface PollDelays {
  readonly intervalMs?: number | undefined;
  readonly tickMs: number;
  readonly backoffMs: number;
  readonly maxBackoffMs: number;
}

// intervalMs as given; else poll_after_seconds, clamped to tickMs … maxBackoffMs; else the fallback.
export function nextPollDelay(object: VideoObject | BatchObject, o: PollDelays): number {
  if (o.intervalMs !== undefined) return o.intervalMs;
  const afterSeconds = 'poll_after_seconds' in object ? object.poll_after_seconds : undefined;
  if (typeof afterSeconds !== 'number' || !(afterSeconds > 0)) return FALLBACK_INTERVAL_MS;
  return Math.min(o.maxBackoffMs, Math.max(o.tickMs, afterSeconds * 1000));
}

// Exponential per job, never shorter than the API's Retry-After; rarely for a job that cannot be polled.
export function failureDelay(error: unknown, failures: number, o: PollDelays): number {
  if (isWebhookError(error, 'api_not_found') || isWebhookError(error, 'api_not_implemented')) return o.maxBackoffMs;
  const backoff = Math.min(o.maxBackoffMs, o.backoffMs * 2 ** (failures - 1));
  return Math.max(backoff, retryAfterOf(error) ?? 0);
}

/** `details.retryAfterMs` of a 408/425/429 or 5xx answer, when the API sent `Retry-After`. */
export function retryAfterOf(error: unknown): number | undefined {
  const ms = isWebhookError(error) ? error.details.retryAfterMs : undefined;
  return typeof ms === 'number' && Number.isFinite(ms) && ms > 0 ? ms : undefined;
}

export function isRateLimited(error: unknown): boolean {
  return isWebhookError(error, 'api_retry_later') && error.details.apiStatus === 429;
}
