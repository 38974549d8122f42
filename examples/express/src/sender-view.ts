/**
 * The sender's own view of a job's webhook deliveries: the `webhook.delivery` summary (spec §6.5)
 * found in a delivery's `data.webhook` and in `GET /v1/videos/{id}`. In a payload it is captured
 * before the attempt that carries it, so it never shows that attempt.
 */
export interface SenderView {
  /** Where this reading came from: a verified webhook payload, a poll or a reconciliation. */
  source: 'webhook' | 'poll' | 'reconcile';
  /** When we read it (ISO-8601). */
  read_at: string;
  /** False when the job has no webhook URL or endpoint (polling only, by design). */
  configured: boolean;
  total_attempts: number | null;
  pending_retries: number | null;
  next_retry_at: string | null;
  last_attempt_at: string | null;
  /** `delivered`, `scheduled_retry` or `failed_permanently`. */
  last_attempt_status: string | null;
  /** Our answer to the sender's last attempt; null after a timeout or network error. */
  last_response_status: number | null;
  last_error_message: string | null;
}

const num = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);
const str = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value.slice(0, 300) : null);
const record = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;

/**
 * Reads the `webhook` block of a payload's `data` or of a video object into a {@link SenderView};
 * `undefined` when there is no such block. Every field is checked, never trusted as typed.
 *
 * @example
 * ```ts
 * readSenderView(video.webhook, 'poll', new Date())?.pending_retries; // 1
 * ```
 */
export function readSenderView(webhook: unknown, source: SenderView['source'], now: Date): SenderView | undefined {
  const block = record(webhook);
  if (!block) return undefined;
  const delivery = record(block.delivery) ?? {};
  return {
    source,
    read_at: now.toISOString(),
    configured: Boolean(str(block.url) ?? str(block.endpoint_id)),
    total_attempts: num(delivery.total_attempts),
    pending_retries: num(delivery.pending_retries),
    next_retry_at: str(delivery.next_retry_at),
    last_attempt_at: str(delivery.last_attempt_at),
    last_attempt_status: str(delivery.last_attempt_status),
    last_response_status: num(delivery.last_response_status),
    last_error_message: str(delivery.last_error_message),
  };
}
