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
 * `leaseMs / 3` it extends every claim still held, when the store can `extend`, for `maxHoldMs`
 * at most (default 120 s); then the lease is left to expire, so a hung handler does not hold its
 * event until the sender gives up.
 *
 * @example
 * ```ts
 * const withClaim = createClaimRunner(dedupe, logger, { maxHoldMs: 120_000 });
 * const result = await withClaim(event.id, () => runHandlers(event));
 * if (result.outcome === 'done') return duplicate();
 * ```
 */
export function createClaimRunner(store: DedupeStore, logger: Logger, hold: HoldLimit = {}): ClaimRunner {
  const heartbeat = createHeartbeat(store, logger, hold);
  return async (key, work) => {
    let claim;
    try {
      claim = await store.claim(key);
    } catch (error) {
      throw storeFailure('claim event', error);
    }
    if (claim.outcome !== 'claimed') return { outcome: claim.outcome };
    const lease: Lease = { key, token: claim.token, heldSince: heartbeat.now() };
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

/** How long the heartbeat renews a lease (default 120 s), on which clock (default `Date.now`). */
export interface HoldLimit {
  readonly maxHoldMs?: number;
  readonly now?: () => number;
}

interface Lease {
  readonly key: string;
  readonly token: string;
  readonly heldSince: number;
}

async function commit(store: DedupeStore, { key, token }: Lease, logger: Logger): Promise<void> {
  let committed: boolean;
  try {
    committed = await store.commit(key, token);
  } catch (error) {
    throw storeFailure('commit event', error);
  }
  if (!committed) {
    const fix =
      store.extend === undefined
        ? 'raise leaseMs above the slowest handler or use a store that can extend leases'
        : 'the heartbeat could not renew it in time (the store was slow, unreachable or paused, or the handlers ran past maxHoldMs); raise leaseMs above the longest pause you expect, or maxHoldMs above the slowest handler';
    logger.warn?.(`event ${key} was claimed by another worker after this one's lease expired, so it ran twice; ${fix}`);
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

/**
 * The leases a runner is working on, renewed together every `leaseMs / 3` while any is held, each
 * for `maxHoldMs` at most.
 */
interface Heartbeat {
  readonly now: () => number;
  hold(lease: Lease): void;
  drop(lease: Lease): void;
}

function createHeartbeat(store: DedupeStore, logger: Logger, limit: HoldLimit): Heartbeat {
  const held = new Set<Lease>();
  const { extend, leaseMs } = store;
  const now = limit.now ?? Date.now;
  if (extend === undefined || leaseMs === undefined || !(leaseMs > 0)) {
    return { now, hold: () => undefined, drop: () => undefined };
  }
  const maxHoldMs = limit.maxHoldMs ?? DEFAULT_MAX_HOLD_MS;
  let timer: ReturnType<typeof setInterval> | undefined;
  const beat = () => {
    if (held.size === 0) {
      clearInterval(timer);
      timer = undefined;
    }
    const t = now();
    for (const lease of held) {
      if (t - lease.heldSince <= maxHoldMs) void renew(store, extend, lease, logger);
      else letExpire(held, lease, maxHoldMs, logger);
    }
  };
  return {
    now,
    hold(lease) {
      held.add(lease);
      if (timer !== undefined) return;
      timer = setInterval(beat, Math.min(MAX_TIMER_MS, Math.max(1, Math.floor(leaseMs / 3))));
      (timer as { unref?: () => void }).unref?.();
    },
    drop: (lease) => void held.delete(lease),
  };
}

const DEFAULT_MAX_HOLD_MS = 120_000;

function letExpire(held: Set<Lease>, lease: Lease, maxHoldMs: number, logger: Logger): void {
  held.delete(lease);
  logger.warn?.(
    `the handlers of ${lease.key} have run for more than ${maxHoldMs} ms; its lease is no longer renewed, so a later attempt may run the event again (raise maxHoldMs for handlers this slow)`,
  );
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
