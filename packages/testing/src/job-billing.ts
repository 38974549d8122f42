import type { JobKind } from '@ai-stats-webhooks/core';

/** What {@link jobBilling} needs: the kind, the money in nanos (1e-9 USD) and the hold. */
export interface BillingInput {
  readonly kind: JobKind;
  /** `estimated`: held, not yet charged; `settled`: charged; `void`: released with no charge. */
  readonly state: 'estimated' | 'settled' | 'void';
  readonly estimatedNanos: number;
  /** The settled total; ignored unless settled. */
  readonly totalNanos: number;
  readonly reservationId: string;
  /** `finalized_at` of the job (ISO), the time a settled job was billed. */
  readonly finalizedAt: string | null;
}

/**
 * The `billing` block of webhook `data` in the sender's key order (spec §6.4): a held estimate
 * while the job runs, the captured charge once settled (with `billed_at`), a released hold when
 * void. A batch adds the three `estimation_*` fields after `reserved_nanos`.
 *
 * @example
 * ```ts
 * jobBilling({ kind: 'video', state: 'estimated', estimatedNanos: 4e8, totalNanos: 0, reservationId: 'video_hold:G-1', finalizedAt: null }).state; // 'estimated'
 * ```
 */
export function jobBilling(input: BillingInput): Record<string, unknown> {
  const settled = input.state === 'settled';
  const ended = input.state !== 'estimated';
  const total = settled ? input.totalNanos : 0;
  const estimate = usd(input.estimatedNanos);
  return {
    currency: 'usd',
    estimated_provider_cost: estimate,
    estimated_user_cost: estimate,
    settled_provider_cost: ended ? usd(total) : null,
    settled_user_cost: ended ? usd(total) : null,
    state: input.state,
    billable: settled,
    total_nanos: ended ? total : null,
    estimated_nanos: input.estimatedNanos,
    reserved_nanos: input.estimatedNanos,
    ...(input.kind === 'batch'
      ? { estimation_truncated: null, estimation_sample_size: null, estimation_total_rows: null }
      : {}),
    reservation_id: input.reservationId,
    reservation_status: reservationStatus(input.state),
    charge_reason: ended ? (settled ? (input.kind === 'batch' ? 'charged' : 'captured') : 'released') : null,
    charged: ended ? settled : null,
    ...(settled && input.finalizedAt ? { billed_at: input.finalizedAt.replace('Z', '+00:00') } : {}),
  };
}

/**
 * `reservation_status` of a job in a billing state: `held`, `captured` or `released`.
 *
 * @example
 * ```ts
 * reservationStatus('void'); // 'released'
 * ```
 */
export function reservationStatus(state: BillingInput['state']): string {
  if (state === 'estimated') return 'held';
  return state === 'settled' ? 'captured' : 'released';
}

/**
 * A cost as the sender shows it: USD with 2 decimals (`"0.40"`, `"0.00"` for small amounts).
 *
 * @example
 * ```ts
 * usd(400_000_000); // '0.40'
 * ```
 */
export function usd(nanos: number): string {
  return (nanos / 1e9).toFixed(2);
}
