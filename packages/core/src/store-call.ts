import { WebhookError, isWebhookError } from './webhook-error';

/** Runs a store operation; any failure becomes `store_unavailable` (503: the sender retries). */
export async function storeCall<T>(what: string, operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    if (isWebhookError(error)) throw error;
    throw new WebhookError(
      'store_unavailable',
      `Expected the store to ${what}, found it failed; nothing was acknowledged and the sender will retry.`,
      { cause: error },
    );
  }
}
