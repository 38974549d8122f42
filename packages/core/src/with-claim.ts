import type { DedupeStore } from './dedupe-store';
import type { Logger } from './receiver-options';
import { describeError } from './redact-credentials';
import { storeFailure } from './store-failure';

/** How {@link withClaim} ended: the work ran and was committed, or it was not this caller's to run. */
export type ClaimedWork<T> =
  | { readonly outcome: 'processed'; readonly value: T }
  | { readonly outcome: 'done' }
  | { readonly outcome: 'in_flight' };

/**
 * The claim stage as one unit: claim `key`; when this caller owns it, run `work` while a heartbeat
 * renews the lease (every `leaseMs / 3`, when the store can `extend`), then commit; when `work`
 * throws, release the claim (best effort) and rethrow, so the sender's next attempt is processed.
 * A store failure while claiming or committing is `store_unavailable` (503).
 *
 * @example
 * ```ts
 * const result = await withClaim(dedupe, event.id, () => runHandlers(event), logger);
 * if (result.outcome === 'done') return duplicate();
 * ```
 */
export async function withClaim<T>(
  store: DedupeStore,
  key: string,
  work: () => Promise<T>,
  logger: Logger,
): Promise<ClaimedWork<T>> {
  let claim;
  try {
    claim = await store.claim(key);
  } catch (error) {
    throw storeFailure('claim event', error);
  }
  if (claim.outcome !== 'claimed') return { outcome: claim.outcome };
  const stopHeartbeat = startHeartbeat(store, key, claim.token, logger);
  let value: T;
  try {
    value = await work();
  } catch (error) {
    stopHeartbeat();
    await release(store, key, claim.token, logger);
    throw error;
  }
  stopHeartbeat();
  await commit(store, key, claim.token, logger);
  return { outcome: 'processed', value };
}

async function commit(store: DedupeStore, key: string, token: string, logger: Logger): Promise<void> {
  let committed: boolean;
  try {
    committed = await store.commit(key, token);
  } catch (error) {
    throw storeFailure('commit event', error);
  }
  if (!committed) {
    logger.warn?.(
      `event ${key} was claimed by another worker after this one's lease expired, so it ran twice; raise leaseMs above the slowest handler or use a store that can extend leases`,
    );
  }
}

async function release(store: DedupeStore, key: string, token: string, logger: Logger): Promise<void> {
  try {
    await store.release(key, token);
  } catch (error) {
    logger.error?.(`could not release the claim on ${key}; it unblocks when the lease expires`, {
      cause: describeError(error),
    });
  }
}

// Renews the lease while work runs, so a slow handler never sees a second copy of its event start.
function startHeartbeat(store: DedupeStore, key: string, token: string, logger: Logger): () => void {
  const { extend, leaseMs } = store;
  if (extend === undefined || leaseMs === undefined || !(leaseMs > 0)) return () => undefined;
  const beat = async () => {
    try {
      if (!(await extend.call(store, key, token))) logger.warn?.(`lost the lease on ${key} while its handlers ran`);
    } catch (error) {
      logger.warn?.(`could not extend the lease on ${key}`, {
        cause: describeError(error),
      });
    }
  };
  const timer = setInterval(() => void beat(), Math.max(1, Math.floor(leaseMs / 3)));
  (timer as { unref?: () => void }).unref?.();
  return () => clearInterval(timer);
}
