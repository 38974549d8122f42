import { WebhookError, isWebhookError } from './webhook-error';

/**
 * What a failed store operation becomes: `store_unavailable` (503: the sender retries). Used as
 * `try { x = await store.op() } catch (e) { throw storeFailure('op', e) }`, which also covers a
 * store that throws synchronously, with no closure per call.
 *
 * @example
 * ```ts
 * try { claim = await dedupe.claim(key); } catch (error) { throw storeFailure('claim event', error); }
 * ```
 */
export function storeFailure(what: string, error: unknown): WebhookError {
  if (isWebhookError(error)) return error;
  return new WebhookError(
    'store_unavailable',
    `Expected the store to ${what}, found it failed; nothing was acknowledged and the sender will retry.`,
    { cause: error },
  );
}
