import type { MockJob } from './mock-job';

/**
 * The `webhook` block of a mock job's data and GET object (spec §6.5): its subscription, and the
 * delivery summary and last ten attempts computed from the attempts recorded so far (dropped
 * events were never sent, so they do not count).
 *
 * @example
 * ```ts
 * webhookState(job).delivery; // { total_attempts: 3, delivered_events: 2, … }
 * ```
 */
export function webhookState(job: MockJob): Record<string, unknown> {
  const sent = job.records.filter((r) => r.fault !== 'dropped');
  return {
    endpoint_id: null,
    url: job.webhook.url,
    events: job.webhook.events,
    has_secret: true,
    delivery: deliverySummary(sent),
    attempts: sent.slice(-10).map((r) => ({
      id: `${r.deliveryKey}:${r.attempt}:${r.triedAt}`,
      delivery_key: r.deliveryKey,
      event_type: r.type,
      status: attemptStatus(r),
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

type Attempt = MockJob['records'][number];

function attemptStatus(r: Attempt): string {
  return r.ok ? 'delivered' : r.nextRetryAt ? 'scheduled_retry' : 'failed_permanently';
}

// The `webhook.delivery` summary: captured before the current attempt is recorded (spec §6.5).
function deliverySummary(sent: readonly Attempt[]): Record<string, unknown> {
  const delivered = sent.filter((r) => r.ok);
  const last = sent.at(-1);
  const lastFailure = [...sent].reverse().find((r) => !r.ok);
  return {
    total_attempts: sent.length,
    delivered_events: new Set(delivered.map((r) => r.eventId)).size,
    delivered_event_types: [...new Set(delivered.map((r) => r.deliveryKey))].sort(),
    pending_retries: sent.filter(
      (r) => r.nextRetryAt !== null && !sent.some((s) => s.eventId === r.eventId && s.attempt === r.attempt + 1),
    ).length,
    next_retry_at: last?.nextRetryAt ?? null,
    last_attempt_at: last?.triedAt ?? null,
    last_attempt_status: last ? attemptStatus(last) : null,
    last_response_status: last?.responseStatus ?? null,
    last_delivered_at: delivered.at(-1)?.triedAt ?? null,
    last_failure_at: lastFailure?.triedAt ?? null,
    last_error_message: lastFailure?.errorMessage ?? null,
  };
}
