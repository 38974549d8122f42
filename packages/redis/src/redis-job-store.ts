import {
  integerOption,
  isTerminal,
  WebhookError,
  type JobCount,
  type JobKind,
  type JobState,
  type JobStatus,
  type JobStore,
} from '@ai-stats-webhooks/core';
import { createRedisRunner, type RedisStoreBaseOptions } from './redis-command';

/** Options of {@link createRedisJobStore}. */
export interface RedisJobStoreOptions extends RedisStoreBaseOptions {
  /** A job key expires this long after its last change. Default 30 days. */
  readonly ttlMs?: number;
  /** Compare-and-set attempts before `update` gives up (the receiver answers 503). Default 50. */
  readonly maxRetries?: number;
}

// Compare-and-set: write only if the stored version is the one the new state was computed from.
// The open-job index changes in the same script, so it always agrees with the job it indexes.
const CAS = `
local current = tonumber(redis.call('HGET', KEYS[1], 'version') or '0')
if current ~= tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'version', ARGV[2], 'state', ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
redis.call('ZADD', KEYS[2], 'NX', ARGV[5], ARGV[6])
if ARGV[7] == '1' then
  redis.call('ZADD', KEYS[3], 'NX', ARGV[5], ARGV[6])
else
  redis.call('ZREM', KEYS[3], ARGV[6])
end
return 1
`;

// Drops ids from the open index whose job is gone or terminal, unless the job changed since it was
// read (ARGV holds id, version pairs; version 0 = no job). Returns how many of these ids are no
// longer in the index, removed by this call or by another reader before it: the paging steps back
// by that many.
const PRUNE = `
local gone = 0
for i = 2, #KEYS do
  local id = ARGV[2 * i - 3]
  local version = tonumber(redis.call('HGET', KEYS[i], 'version') or '0')
  if version == tonumber(ARGV[2 * i - 2]) then redis.call('ZREM', KEYS[1], id) end
  if not redis.call('ZSCORE', KEYS[1], id) then gone = gone + 1 end
end
return gone
`;

// Counts the jobs of one page of the index by kind and status, in Redis: KEYS[1] is the index,
// KEYS[2..] the job hashes, ARGV their ids. Drops ids whose job expired from the index. Returns
// { missing, kind, status, count, kind, status, count, … }, `missing` the ids of the page whose
// job is gone (whoever removed them from the index). A state cjson cannot decode (it refuses an
// escaped lone surrogate that JSON.parse accepts) is read with a pattern instead.
const COUNT = `
local function kindAndStatus(raw)
  local ok, job = pcall(cjson.decode, raw)
  if ok and type(job) == 'table' and type(job.kind) == 'string' and type(job.status) == 'string' then
    return job.kind, job.status
  end
  return string.match(raw, '"kind":"([%w_]+)"'), string.match(raw, '"status":"([%w_]+)"')
end
local counts, found, missing = {}, {}, 0
for i = 2, #KEYS do
  local raw = redis.call('HGET', KEYS[i], 'state')
  if raw then
    local kind, status = kindAndStatus(raw)
    if kind and status then
      local key = kind .. ' ' .. status
      if counts[key] == nil then
        counts[key] = 0
        found[#found + 1] = { key, kind, status }
      end
      counts[key] = counts[key] + 1
    end
  else
    missing = missing + 1
    redis.call('ZREM', KEYS[1], ARGV[i - 1])
  end
end
local out = { missing }
for _, pair in ipairs(found) do
  out[#out + 1] = pair[2]
  out[#out + 1] = pair[3]
  out[#out + 1] = counts[pair[1]]
end
return out
`;

const PAGE = 200;

/**
 * A job store in Redis. `update` applies the state machine atomically across instances with an
 * optimistic compare-and-set on the job's version (a Lua script), retrying when another instance
 * wrote in between, so concurrent events for one job never lose an update or move it backwards.
 * Each job is a hash (`version`, `state` JSON, about 0.5–1 KB) that expires `ttlMs` after its last
 * change; a sorted set indexes jobs by creation time for `list`, and a second one holds only the
 * open (queued, processing) jobs for `listOpen`, updated in the same script as the job. The first
 * `listOpen` on a key prefix indexes the open jobs that an older version wrote, once.
 * `countByStatus` counts in Redis: the job hashes expire on their own and hold the kind and status
 * only inside the state JSON, so no counter or index can stay exact, and it still reads every job,
 * but a Lua script per page of 200 jobs decodes and counts them there and answers only the counts
 * (ids go to Redis, no job state comes back); it drops the ids of expired jobs from the index as
 * `list` does.
 *
 * @example
 * ```ts
 * const receiver = createReceiver({ secret, jobs: createRedisJobStore({ client }), dedupe: createRedisDedupeStore({ client }) });
 * ```
 */
export function createRedisJobStore(options: RedisJobStoreOptions): JobStore {
  const redis = createRedisRunner(options);
  const ttlMs = integerOption('ttlMs', options.ttlMs ?? 30 * 24 * 60 * 60 * 1000, { unit: 'milliseconds' });
  const maxRetries = integerOption('maxRetries', options.maxRetries ?? 50);
  const keys: JobKeys = {
    job: (id: string) => `${redis.prefix}job:${id}`,
    index: `${redis.prefix}jobs`,
    open: `${redis.prefix}jobs:open`,
    openReady: `${redis.prefix}jobs:open:ready`,
  };
  const get = async (id: string): Promise<JobState | undefined> => {
    const raw = await redis.send(['HGET', keys.job(id), 'state']);
    return typeof raw === 'string' ? (JSON.parse(raw) as JobState) : undefined;
  };
  const write = (id: string, stored: JobState, expected: number): Promise<unknown> =>
    redis.script(
      CAS,
      [keys.job(id), keys.index, keys.open],
      [
        String(expected),
        String(stored.version),
        JSON.stringify(stored),
        String(ttlMs),
        String(Date.parse(stored.createdAt) || Date.now()),
        id,
        isTerminal(stored.status) ? '0' : '1',
      ],
    );
  let openIndexed: Promise<void> | undefined;

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
        if (Number(await write(id, stored, expected)) === 1) return stored;
        // Another instance wrote first: back off a little, with jitter, so contenders spread out.
        await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(50, 2 ** attempt)));
      }
      throw new WebhookError(
        'store_unavailable',
        `Expected to update job ${id} within ${maxRetries} compare-and-set attempts, found constant concurrent writes; the sender will retry.`,
      );
    },
    list(listOptions = {}) {
      return listIndex(redis, keys, listOptions);
    },
    async listOpen(listOptions = {}) {
      openIndexed ??= indexOpenJobs(redis, keys).catch((error: unknown) => {
        openIndexed = undefined;
        throw error;
      });
      await openIndexed;
      return listOpenIndex(redis, keys, listOptions.limit ?? Number.POSITIVE_INFINITY);
    },
    countByStatus() {
      return countIndex(redis, keys);
    },
  };
}

type RedisRunner = ReturnType<typeof createRedisRunner>;

interface JobKeys {
  readonly job: (id: string) => string;
  /** Every job, by creation time. */
  readonly index: string;
  /** Open jobs only, by creation time. */
  readonly open: string;
  /** Set once the open jobs of older versions have been indexed. */
  readonly openReady: string;
}

// Reads the index of every job newest first, and drops ids whose job expired.
async function listIndex(
  redis: RedisRunner,
  keys: JobKeys,
  options: { readonly limit?: number; readonly status?: readonly JobStatus[] },
): Promise<JobState[]> {
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  const wanted = options.status ? new Set(options.status) : undefined;
  const out: JobState[] = [];
  for (let start = 0; out.length < limit; start += PAGE) {
    const ids = (await redis.send(['ZREVRANGE', keys.index, String(start), String(start + PAGE - 1)])) as string[];
    if (ids.length === 0) break;
    const states = await Promise.all(ids.map((id) => redis.send(['HGET', keys.job(id), 'state'])));
    const expired: string[] = [];
    states.forEach((raw, i) => {
      if (typeof raw !== 'string') return void expired.push(ids[i]!);
      const job = JSON.parse(raw) as JobState;
      if (out.length < limit && (!wanted || wanted.has(job.status))) out.push(job);
    });
    // Gone from the index once removed (by this reader, or by another first): the ids after them
    // move up, so the next page starts that many places earlier.
    if (expired.length > 0) await redis.send(['ZREM', keys.index, ...expired]);
    start -= expired.length;
    if (ids.length < PAGE) break;
  }
  return out;
}

// Reads the open index oldest first, and drops ids whose job expired or is terminal.
async function listOpenIndex(redis: RedisRunner, keys: JobKeys, limit: number): Promise<JobState[]> {
  const out: JobState[] = [];
  for (let start = 0; out.length < limit; start += PAGE) {
    const ids = (await redis.send(['ZRANGE', keys.open, String(start), String(start + PAGE - 1)])) as string[];
    if (ids.length === 0) break;
    const states = await Promise.all(ids.map((id) => redis.send(['HGET', keys.job(id), 'state'])));
    const stale: [string, number][] = [];
    states.forEach((raw, i) => {
      const job = typeof raw === 'string' ? (JSON.parse(raw) as JobState) : undefined;
      if (job === undefined || isTerminal(job.status)) stale.push([ids[i]!, job?.version ?? 0]);
      else if (out.length < limit) out.push(job);
    });
    if (stale.length > 0) {
      const gone = await redis.script(
        PRUNE,
        [keys.open, ...stale.map(([id]) => keys.job(id))],
        stale.flatMap(([id, version]) => [id, String(version)]),
      );
      start -= Number(gone); // the ids after them moved up
    }
    if (ids.length < PAGE) break;
  }
  return out;
}

// Counts every job of the index by kind and status, one script per page (see COUNT).
async function countIndex(redis: RedisRunner, keys: JobKeys): Promise<JobCount[]> {
  const counts = new Map<string, { kind: JobKind; status: JobStatus; count: number }>();
  for (let start = 0; ; start += PAGE) {
    const ids = (await redis.send(['ZRANGE', keys.index, String(start), String(start + PAGE - 1)])) as string[];
    if (ids.length === 0) break;
    const [missing, ...flat] = (await redis.script(COUNT, [keys.index, ...ids.map(keys.job)], ids)) as unknown[];
    for (let i = 0; i + 2 < flat.length; i += 3) {
      const [kind, status, n] = [String(flat[i]) as JobKind, String(flat[i + 1]) as JobStatus, Number(flat[i + 2])];
      const entry = counts.get(`${kind}\n${status}`);
      if (entry === undefined) counts.set(`${kind}\n${status}`, { kind, status, count: n });
      else entry.count += n;
    }
    start -= Number(missing); // gone from the index (by this reader or another): the ids after them moved up
    if (ids.length < PAGE) break;
  }
  return [...counts.values()];
}

// Jobs written before the open index existed are not in it: index the open ones, once per prefix.
async function indexOpenJobs(redis: RedisRunner, keys: JobKeys): Promise<void> {
  if (Number(await redis.send(['EXISTS', keys.openReady])) === 1) return;
  for (let start = 0; ; start += PAGE) {
    const ids = (await redis.send(['ZRANGE', keys.index, String(start), String(start + PAGE - 1)])) as string[];
    const states = await Promise.all(ids.map((id) => redis.send(['HGET', keys.job(id), 'state'])));
    const scored: string[] = [];
    states.forEach((raw, i) => {
      const job = typeof raw === 'string' ? (JSON.parse(raw) as JobState) : undefined;
      if (job && !isTerminal(job.status)) scored.push(String(Date.parse(job.createdAt) || 0), ids[i]!);
    });
    // A job that turns terminal meanwhile is dropped again by listOpen (its state says terminal).
    if (scored.length > 0) await redis.send(['ZADD', keys.open, 'NX', ...scored]);
    if (ids.length < PAGE) break;
  }
  await redis.send(['SET', keys.openReady, '1']);
}
