import type { DedupeStore } from '../dedupe/dedupe-store';
import { describeError } from '../errors/redact-credentials';
import type { Logger } from '../receiver/receiver-options';
import { storeFailure } from '../errors/store-failure';
import { MAX_TIMER_MS } from '../errors/invalid-option';

/** How a claimed unit of work ended: run and committed, or not this caller's to run. */
export type ClaimedWork<T> =
  | { readonly outcome: 'processed'; readonly value: T }
  | { readonly outcome: 'done' }
  | { readonly outcome: 'in_flight' };

/** Runs work under a claim on one event key; see {@link createClaimRunner}. */
export type ClaimRunner = <T>(key: string, work: () => Promise<T>) => Promise<ClaimedWork<T>>;

/**
 * The claim stage as one unit, `withClaim(key, work)`: claim the key; when this caller owns it, run
 * `work` while its lease is kept alive, then commit; when `work` throws, release the claim (best
 * effort) and rethrow, so the sender's next attempt is processed. A store failure while claiming
 * or committing is `store_unavailable` (503).
 *
 * Leases are kept alive by one heartbeat per runner (not one timer per delivery): every
 * `leaseMs / 3` it extends every claim still held, when the store can `extend`.
 *
 * @example
 * ```ts
 * const withClaim = createClaimRunner(dedupe, logger);
 * const result = await withClaim(event.id, () => runHandlers(event));
 * if (result.outcome === 'done') return duplicate();
 * ```
 */
export function createClaimRunner(store: DedupeStore, logger: Logger): ClaimRunner {
  const heartbeat = createHeartbeat(store, logger);
  return async (key, work) => {
    let claim;
    try {
      claim = await store.claim(key);
    } catch (error) {
      throw storeFailure('claim event', error);
    }
    if (claim.outcome !== 'claimed') return { outcome: claim.outcome };
    const lease = { key, token: claim.token };
    heartbeat.hold(lease);
    let value;
    try {
      value = await work();
    } catch (error) {
      heartbeat.drop(lease);
      await release(store, lease, logger);
      throw error;
    }
    heartbeat.drop(lease);
    await commit(store, lease, logger);
    return { outcome: 'processed', value };
  };
}

interface Lease {
  readonly key: string;
  readonly token: string;
}

async function commit(store: DedupeStore, { key, token }: Lease, logger: Logger): Promise<void> {
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

async function release(store: DedupeStore, { key, token }: Lease, logger: Logger): Promise<void> {
  try {
    await store.release(key, token);
  } catch (error) {
    logger.error?.(`could not release the claim on ${key}; it unblocks when the lease expires`, {
      cause: describeError(error),
    });
  }
}

/** The leases a runner is working on, renewed together every `leaseMs / 3` while any is held. */
interface Heartbeat {
  hold(lease: Lease): void;
  drop(lease: Lease): void;
}

function createHeartbeat(store: DedupeStore, logger: Logger): Heartbeat {
  const held = new Set<Lease>();
  const { extend, leaseMs } = store;
  if (extend === undefined || leaseMs === undefined || !(leaseMs > 0)) {
    return { hold: () => undefined, drop: () => undefined };
  }
  let timer: ReturnType<typeof setInterval> | undefined;
  const beat = () => {
    if (held.size === 0) {
      clearInterval(timer);
      timer = undefined;
    }
    for (const lease of held) void renew(store, extend, lease, logger);
  };
  return {
    hold(lease) {
      held.add(lease);
      if (timer !== undefined) return;
      timer = setInterval(beat, Math.min(MAX_TIMER_MS, Math.max(1, Math.floor(leaseMs / 3))));
      (timer as { unref?: () => void }).unref?.();
    },
    drop: (lease) => void held.delete(lease),
  };
}

async function renew(
  store: DedupeStore,
  extend: NonNullable<DedupeStore['extend']>,
  { key, token }: Lease,
  logger: Logger,
): Promise<void> {
  try {
    if (!(await extend.call(store, key, token))) logger.warn?.(`lost the lease on ${key} while its handlers ran`);
  } catch (error) {
    logger.warn?.(`could not extend the lease on ${key}`, { cause: describeError(error) });
  }
}
