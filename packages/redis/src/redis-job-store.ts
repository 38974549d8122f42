import { WebhookError, type JobState, type JobStore } from '@ai-stats-webhooks/core';
import { createRedisRunner, type RedisStoreBaseOptions } from './redis-command';

/** Options of {@link createRedisJobStore}. */
export interface RedisJobStoreOptions extends RedisStoreBaseOptions {
  /** A job key expires this long after its last change. Default 30 days. */
  readonly ttlMs?: number;
  /** Compare-and-set attempts before `update` gives up (the receiver answers 503). Default 50. */
  readonly maxRetries?: number;
}

// Compare-and-set: write only if the stored version is the one the new state was computed from.
const CAS = `
local current = tonumber(redis.call('HGET', KEYS[1], 'version') or '0')
if current ~= tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'version', ARGV[2], 'state', ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
redis.call('ZADD', KEYS[2], 'NX', ARGV[5], ARGV[6])
return 1
`;

/**
 * A job store in Redis. `update` applies the state machine atomically across instances with an
 * optimistic compare-and-set on the job's version (a Lua script), retrying when another instance
 * wrote in between, so concurrent events for one job never lose an update or move it backwards.
 * Each job is a hash (`version`, `state` JSON, about 0.5–1 KB) that expires `ttlMs` after its last
 * change; a sorted set indexes jobs by creation time for `list`.
 *
 * @example
 * ```ts
 * const receiver = createReceiver({ secret, jobs: createRedisJobStore({ client }), dedupe: createRedisDedupeStore({ client }) });
 * ```
 */
export function createRedisJobStore(options: RedisJobStoreOptions): JobStore {
  const redis = createRedisRunner(options);
  const ttlMs = options.ttlMs ?? 30 * 24 * 60 * 60 * 1000;
  const maxRetries = options.maxRetries ?? 50;
  if (!Number.isInteger(ttlMs) || ttlMs <= 0) {
    throw new WebhookError('invalid_option', `Option "ttlMs": expected a positive integer, found ${String(ttlMs)}.`, {
      details: { option: 'ttlMs' },
    });
  }
  const jobKey = (id: string) => `${redis.prefix}job:${id}`;
  const indexKey = `${redis.prefix}jobs`;

  const get = async (id: string): Promise<JobState | undefined> => {
    const raw = await redis.send(['HGET', jobKey(id), 'state']);
    return typeof raw === 'string' ? (JSON.parse(raw) as JobState) : undefined;
  };

  return {
    get,
    async update(id, apply) {
      for (let attempt = 0; attempt < maxRetries; attempt++) {
        const current = await get(id);
        const next = apply(current);
        if (next === current) return next;
        const expected = current?.version ?? 0;
        // The state machine bumps the version on every change; a store-made state may not.
        const stored = next.version > expected ? next : { ...next, version: expected + 1 };
        const written = await redis.script(
          CAS,
          [jobKey(id), indexKey],
          [
            String(expected),
            String(stored.version),
            JSON.stringify(stored),
            String(ttlMs),
            String(Date.parse(stored.createdAt) || Date.now()),
            id,
          ],
        );
        if (Number(written) === 1) return stored;
        // Another instance wrote first: back off a little, with jitter, so contenders spread out.
        await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(50, 2 ** attempt)));
      }
      throw new WebhookError(
        'store_unavailable',
        `Expected to update job ${id} within ${maxRetries} compare-and-set attempts, found constant concurrent writes; the sender will retry.`,
      );
    },
    async list(listOptions = {}) {
      const limit = listOptions.limit ?? Number.POSITIVE_INFINITY;
      const wanted = listOptions.status ? new Set(listOptions.status) : undefined;
      const out: JobState[] = [];
      const page = 200;
      for (let start = 0; out.length < limit; start += page) {
        const ids = (await redis.send(['ZREVRANGE', indexKey, String(start), String(start + page - 1)])) as string[];
        if (ids.length === 0) break;
        const states = await Promise.all(ids.map((id) => redis.send(['HGET', jobKey(id), 'state'])));
        const expired: string[] = [];
        states.forEach((raw, i) => {
          if (typeof raw !== 'string') return void expired.push(ids[i]!);
          const job = JSON.parse(raw) as JobState;
          if (out.length < limit && (!wanted || wanted.has(job.status))) out.push(job);
        });
        if (expired.length > 0) await redis.send(['ZREM', indexKey, ...expired]);
        if (ids.length < page) break;
      }
      return out;
    },
  };
}
