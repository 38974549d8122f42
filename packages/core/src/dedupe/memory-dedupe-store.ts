import { LRUCache } from 'lru-cache';
import type { ClaimResult, DedupeStore } from './dedupe-store';
import { integerOption, timerOption } from '../errors/invalid-option';

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
  /** Milliseconds clock, for tests. Default `Date.now`. */
  readonly now?: () => number;
}

/**
 * A dedupe store in process memory, bounded by `max` and TTLs: done keys live in an lru-cache
 * (one `has` and one `set` per event), in-flight leases in a small map of their own. A done key's
 * expiry is kept in whole seconds, rounded up: it is forgotten up to 1 s after `ttlMs` (run the
 * dedupe contract suite on it with `expiryGraceMs: 1000`). About 150
 * bytes per done key with real event ids (bench/ measures it). For one instance; several
 * instances need the Redis store.
 *
 * @example
 * ```ts
 * const dedupe = createMemoryDedupeStore({ max: 100_000, ttlMs: 24 * 3600_000, leaseMs: 60_000 });
 * ```
 */
export function createMemoryDedupeStore(options: MemoryDedupeStoreOptions = {}): DedupeStore {
  const max = integerOption('max', options.max ?? MEMORY_DEDUPE_DEFAULTS.max);
  const ttlMs = integerOption('ttlMs', options.ttlMs ?? MEMORY_DEDUPE_DEFAULTS.ttlMs, { unit: 'milliseconds' });
  const leaseMs = timerOption('leaseMs', options.leaseMs ?? MEMORY_DEDUPE_DEFAULTS.leaseMs);
  const now = options.now ?? Date.now;
  // Done keys map to their expiry in whole seconds since this store was created: a small integer
  // that V8 stores inline, so a key costs its string and the LRU slot, without lru-cache's
  // per-entry TTL arrays (about 16 bytes a key at a million keys).
  const epoch = now();
  const done = new LRUCache<string, number>({ max });
  const isDone = (key: string): boolean => {
    const expiresAt = done.peek(key);
    if (expiresAt === undefined) return false;
    if (expiresAt * 1000 > now() - epoch) return true;
    done.delete(key);
    return false;
  };
  // Leases are few (deliveries being processed right now); expired ones are swept as it grows.
  const leases = new Map<string, { readonly token: string; readonly expiresAt: number }>();
  let sweepAt = 1024;
  let counter = 0;

  const lease = (key: string) => {
    const entry = leases.get(key);
    if (entry === undefined || entry.expiresAt > now()) return entry;
    leases.delete(key);
    return undefined;
  };

  return {
    claim(key): ClaimResult {
      if (isDone(key)) return { outcome: 'done' };
      if (lease(key) !== undefined) return { outcome: 'in_flight' };
      if (leases.size >= sweepAt) {
        const t = now();
        for (const [k, entry] of leases) if (entry.expiresAt <= t) leases.delete(k);
        sweepAt = Math.max(1024, leases.size * 2);
      }
      const token = `${++counter}`;
      leases.set(key, { token, expiresAt: now() + leaseMs });
      return { outcome: 'claimed', token };
    },
    commit(key, token) {
      const holder = lease(key);
      if (holder !== undefined && holder.token !== token) return false;
      leases.delete(key);
      done.set(key, Math.ceil((now() - epoch + ttlMs) / 1000));
      return true;
    },
    release(key, token) {
      if (lease(key)?.token !== token) return false;
      leases.delete(key);
      return true;
    },
    extend(key, token) {
      if (lease(key)?.token !== token) return false;
      leases.set(key, { token, expiresAt: now() + leaseMs });
      return true;
    },
    leaseMs,
    ttlMs,
  };
}
