import { describeError } from '../errors/redact-credentials';
import type { WebhookErrorCode } from '../errors/webhook-error';
import type { SettledEvent } from '../stages/settle';
import type { WebhookEvent } from '../wire/schemas';
import type { DeliveryReport, ResolvedReceiverOptions } from './receiver-options';
import type { ReceiverResponse } from './receiver-types';

/** What the pipeline learnt about one delivery as it ran, for its {@link DeliveryReport}. */
export interface DeliveryRecord {
  event?: WebhookEvent;
  settled?: SettledEvent;
  duplicate: boolean;
  queued?: boolean;
  code?: WebhookErrorCode;
}

/**
 * Hands `onDelivery` the one report of a delivery: its answer and what was known by then. A
 * throwing hook is logged, never raised.
 *
 * @example
 * ```ts
 * reportDelivery(opts, response, record, opts.now() - started);
 * ```
 */
export function reportDelivery(
  opts: ResolvedReceiverOptions,
  response: ReceiverResponse,
  record: DeliveryRecord,
  durationMs: number,
): void {
  const { event, settled } = record;
  const report: DeliveryReport = {
    status: response.status,
    outcome: outcomeOf(response.status, record.duplicate),
    code: record.code,
    eventId: event?.id,
    type: event?.type,
    jobId: event?.data.id,
    attempt: event?.delivery.attempt,
    reconciled: settled?.reconciled ?? false,
    conflict: settled?.conflict?.reason,
    queued: record.queued === true,
    durationMs,
  };
  try {
    opts.onDelivery?.(report);
  } catch (hookError) {
    opts.logger.error?.('onDelivery threw', { cause: describeError(hookError) });
  }
}

/**
 * The outcome a delivery's answer stands for (`onDelivery` and the telemetry agree on it).
 *
 * @example
 * ```ts
 * outcomeOf(200, true); // 'duplicate'
 * ```
 */
export function outcomeOf(status: number, duplicate: boolean): DeliveryReport['outcome'] {
  if (status < 300) return duplicate ? 'duplicate' : 'processed';
  if (status === 409) return 'in_flight';
  return status < 500 ? 'rejected' : 'failed';
}
