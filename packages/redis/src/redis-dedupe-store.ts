import { randomUUID } from 'node:crypto';
import {
  MEMORY_DEDUPE_DEFAULTS,
  integerOption,
  timerOption,
  type ClaimResult,
  type DedupeStore,
} from '@ai-stats-webhooks/core';
import { createRedisRunner, type RedisStoreBaseOptions } from './redis-command';

/** Options of {@link createRedisDedupeStore}. */
export interface RedisDedupeStoreOptions extends RedisStoreBaseOptions {
  /** How long a processed event id is remembered. Default 24 h. */
  readonly ttlMs?: number;
  /** How long an in-flight claim blocks other instances if its worker dies. Default 60 s. */
  readonly leaseMs?: number;
}

// Claim: absent → in flight with this token for the lease; done → done; else in flight.
const CLAIM = `
local v = redis.call('GET', KEYS[1])
if not v then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 'claimed'
end
if v == 'done' then return 'done' end
return 'in_flight'
`;
// Commit succeeds unless another live lease holds the key (ours, absent or done: done).
const COMMIT = `
local v = redis.call('GET', KEYS[1])
if v and v ~= ARGV[1] and v ~= 'done' then return 0 end
redis.call('SET', KEYS[1], 'done', 'PX', ARGV[2])
return 1
`;
// Release and extend succeed only for the lease holder.
const RELEASE = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
return 1
`;
const EXTEND = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
`;

/**
 * A dedupe store in Redis with the memory store's semantics, atomic on the server: claim is one
 * Lua script (GET + SET PX), and only the lease holder can commit or release. Every key is
 * prefixed and expires (lease, then `ttlMs`). One key per event id: about 210 bytes each in
 * redis-server 7.0 (100,000 done-keys of 75 characters with their expiry: 21.3 MB, `INFO memory`).
 *
 * @example
 * ```ts
 * const client = createClient({ url: process.env.REDIS_URL, disableOfflineQueue: true });
 * client.on('error', (error) => console.error('redis', error.message));
 * await client.connect();
 * const receiver = createReceiver({ secret, dedupe: createRedisDedupeStore({ client }) });
 * ```
 */
export function createRedisDedupeStore(options: RedisDedupeStoreOptions): DedupeStore {
  const redis = createRedisRunner(options);
  const ttlMs = integerOption('ttlMs', options.ttlMs ?? MEMORY_DEDUPE_DEFAULTS.ttlMs, { unit: 'milliseconds' });
  const leaseMs = timerOption('leaseMs', options.leaseMs ?? MEMORY_DEDUPE_DEFAULTS.leaseMs);
  const key = (eventKey: string) => `${redis.prefix}dedupe:${eventKey}`;
  return {
    async claim(eventKey): Promise<ClaimResult> {
      const token = `lease:${randomUUID()}`;
      let outcome: string;
      try {
        outcome = String(await redis.script(CLAIM, [key(eventKey)], [token, String(leaseMs)]));
      } catch (error) {
        // The claim may still run after its answer timed out: release it, best effort (on one
        // connection Redis runs the release after the claim), so the sender's retry is not met
        // with 409 for the whole lease.
        // It may wait for as long as the lease it cleans up.
        redis.script(RELEASE, [key(eventKey)], [token], leaseMs).catch(() => undefined);
        throw error;
      }
      if (outcome === 'claimed') return { outcome, token };
      return { outcome: outcome === 'done' ? 'done' : 'in_flight' };
    },
    async commit(eventKey, token) {
      return Number(await redis.script(COMMIT, [key(eventKey)], [token, String(ttlMs)])) === 1;
    },
    async release(eventKey, token) {
      return Number(await redis.script(RELEASE, [key(eventKey)], [token])) === 1;
    },
    async extend(eventKey, token) {
      return Number(await redis.script(EXTEND, [key(eventKey)], [token, String(leaseMs)])) === 1;
    },
    leaseMs,
    ttlMs,
  };
}
