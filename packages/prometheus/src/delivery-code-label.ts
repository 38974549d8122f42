import { WEBHOOK_ERROR_STATUS, type DeliveryReport } from '@ai-stats-webhooks/core';

/**
 * The `code` label value for a code outside `WEBHOOK_ERROR_STATUS` (a report built by hand, a
 * newer core): one fixed value, so the label's values stay the closed table's codes.
 */
export const OTHER_CODE = 'other';

/**
 * The `code` labels of `ai_stats_webhook_deliveries_total` for one report: none when the answer
 * has no error code (processed, duplicate; the same series as `code=""` in PromQL, so the series
 * of the successes keep the labels they had before `code`), the code when it is one of
 * `WEBHOOK_ERROR_STATUS` (a closed table: the label can never hold a value a request chose), else
 * {@link OTHER_CODE}.
 *
 * @example
 * ```ts
 * deliveryCodeLabel(undefined); // {}
 * deliveryCodeLabel('method_not_allowed'); // { code: 'method_not_allowed' }
 * deliveryCodeLabel('x"}' as never); // { code: 'other' }
 * ```
 */
export function deliveryCodeLabel(code: DeliveryReport['code'] | null): { code?: string } {
  if (code === undefined || code === null) return {};
  return { code: typeof code === 'string' && Object.hasOwn(WEBHOOK_ERROR_STATUS, code) ? code : OTHER_CODE };
}
