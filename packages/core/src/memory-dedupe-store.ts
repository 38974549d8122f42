import { LRUCache } from 'lru-cache';
import type { ClaimResult, DedupeStore } from './dedupe-store';
import { WebhookError } from './webhook-error';

/** Defaults of {@link createMemoryDedupeStore}. */
export const MEMORY_DEDUPE_DEFAULTS = Object.freeze({
  /** Keys kept; the least recently used done-key goes first. */
  max: 1_000_000,
  /** How long a processed event id is remembered: 24 h (the sender retries for about 25 min). */
  ttlMs: 24 * 60 * 60 * 1000,
  /** How long an in-flight claim blocks other attempts if its worker never finishes. */
  leaseMs: 60_000,
});

/** Options of {@link createMemoryDedupeStore}. */
export interface MemoryDedupeStoreOptions {
  readonly max?: number;
  readonly ttlMs?: number;
  readonly leaseMs?: number;
  /** Milliseconds clock, for tests. Default `performance.now`. */
  readonly now?: () => number;
}

// One shared object marks every done key, so a done entry costs the key and the LRU slot only.
const DONE = Object.freeze({ token: '' });

/**
 * A dedupe store in process memory on lru-cache, bounded by `max` and TTLs. About 110–130 bytes
 * per key plus the key itself (bench/ measures it). For one instance; several instances need
 * the Redis store.
 *
 * @example
 * ```ts
 * const dedupe = createMemoryDedupeStore({ max: 100_000, ttlMs: 24 * 3600_000, leaseMs: 60_000 });
 * ```
 */
export function createMemoryDedupeStore(options: MemoryDedupeStoreOptions = {}): DedupeStore {
  const max = positive('max', options.max ?? MEMORY_DEDUPE_DEFAULTS.max);
  const ttlMs = positive('ttlMs', options.ttlMs ?? MEMORY_DEDUPE_DEFAULTS.ttlMs);
  const leaseMs = positive('leaseMs', options.leaseMs ?? MEMORY_DEDUPE_DEFAULTS.leaseMs);
  const cache = new LRUCache<string, { readonly token: string }>({
    max,
    ttl: ttlMs,
    ...(options.now ? { perf: { now: options.now }, ttlResolution: 0 } : {}),
  });
  let counter = 0;

  return {
    async claim(key): Promise<ClaimResult> {
      const entry = cache.get(key);
      if (entry === DONE) return { outcome: 'done' };
      if (entry !== undefined) return { outcome: 'in_flight' };
      const token = `${++counter}`;
      // An in-flight entry lives only for the lease: when it expires the key is claimable again.
      cache.set(key, { token }, { ttl: leaseMs });
      return { outcome: 'claimed', token };
    },
    async commit(key, token) {
      if (cache.get(key)?.token !== token) return false;
      cache.set(key, DONE, { ttl: ttlMs });
      return true;
    },
    async release(key, token) {
      if (cache.get(key)?.token !== token) return false;
      cache.delete(key);
      return true;
    },
  };
}

function positive(option: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) {
    throw new WebhookError(
      'invalid_option',
      `Option "${option}": expected a positive number, found ${String(value)}.`,
      {
        details: { option },
      },
    );
  }
  return value;
}
