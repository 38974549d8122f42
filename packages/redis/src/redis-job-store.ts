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
// Every write also keeps the index keys alive at least as long as this job (KEYS[4], the ready
// marker, only once it exists) and sweeps a few dead ids out of each index, so that a deployment
// that never lists keeps indexes about as large as its live jobs. The swept job keys are built
// from ARGV[8] (the prefix): on Redis Cluster the prefix's hash tag keeps them in the script's slot.
const CAS = `
local function outlive(key, ttl)
  local left = redis.call('PTTL', key)
  if left ~= -2 and left < ttl then redis.call('PEXPIRE', key, ttl) end
end
-- the two oldest ids (jobs mostly expire in creation order) and two at random places (dead ids
-- behind an oldest job that lives on): each write removes up to four dead ids, about one is added
local function sweep(key, jobPrefix, at1, at2)
  local card = redis.call('ZCARD', key)
  local ids = redis.call('ZRANGE', key, 0, 1)
  for _, fraction in ipairs({ at1, at2 }) do
    local at = math.floor(tonumber(fraction) * card)
    local id = redis.call('ZRANGE', key, at, at)[1]
    if id then ids[#ids + 1] = id end
  end
  for _, id in ipairs(ids) do
    if redis.call('EXISTS', jobPrefix .. id) == 0 then redis.call('ZREM', key, id) end
  end
end
local current = tonumber(redis.call('HGET', KEYS[1], 'version') or '0')
if current ~= tonumber(ARGV[1]) then return 0 end
local ttl = tonumber(ARGV[4])
redis.call('HSET', KEYS[1], 'version', ARGV[2], 'state', ARGV[3])
redis.call('PEXPIRE', KEYS[1], ttl)
redis.call('ZADD', KEYS[2], 'NX', ARGV[5], ARGV[6])
if ARGV[7] == '1' then
  redis.call('ZADD', KEYS[3], 'NX', ARGV[5], ARGV[6])
else
  redis.call('ZREM', KEYS[3], ARGV[6])
end
for i = 2, 4 do outlive(KEYS[i], ttl) end
sweep(KEYS[2], ARGV[8], ARGV[9], ARGV[10])
sweep(KEYS[3], ARGV[8], ARGV[9], ARGV[10])
return 1
`;

// One page of an index after a cursor (score, member), in its own order: Redis sorts by score,
// then by member bytes, so the cursor stays put while other processes add or remove entries
// anywhere, where a position would shift. ARGV: 'asc' or 'desc', page size, cursor score and
// member ('' and '' for the first page). Returns { member, score, member, score, … }.
const PAGE_AFTER = `
local function below(a, b)
  -- byte order, as Redis sorts members (Lua's < follows the server's locale)
  for i = 1, math.min(#a, #b) do
    local x, y = string.byte(a, i), string.byte(b, i)
    if x ~= y then return x < y end
  end
  return #a < #b
end
local key, asc, n, score, member = KEYS[1], ARGV[1] == 'asc', tonumber(ARGV[2]), ARGV[3], ARGV[4]
local card = redis.call('ZCARD', key)
-- pos: how many entries sort before the cursor (ascending: the cursor itself too)
local pos = asc and 0 or card
if score ~= '' then
  local lo = redis.call('ZCOUNT', key, '-inf', '(' .. score)
  local hi = lo + redis.call('ZCOUNT', key, score, score)
  while lo < hi do
    local mid = math.floor((lo + hi) / 2)
    local m = redis.call('ZRANGE', key, mid, mid)[1]
    if below(m, member) or (asc and m == member) then lo = mid + 1 else hi = mid end
  end
  pos = lo
end
if asc then return redis.call('ZRANGE', key, pos, pos + n - 1, 'WITHSCORES') end
if pos == 0 then return {} end
return redis.call('ZREVRANGE', key, card - pos, card - pos + n - 1, 'WITHSCORES')
`;

// Drops ids from an index whose job is gone (or, for the open index, terminal), unless the job
// changed since it was read: ARGV holds id, version pairs (version 0 = no job), so a job created
// again in between keeps its id.
const PRUNE = `
for i = 2, #KEYS do
  local version = tonumber(redis.call('HGET', KEYS[i], 'version') or '0')
  if version == tonumber(ARGV[2 * i - 2]) then redis.call('ZREM', KEYS[1], ARGV[2 * i - 3]) end
end
return 0
`;

// Counts the jobs of one page of the index by kind and status, in Redis: KEYS[1] is the index,
// KEYS[2..] the job hashes, ARGV their ids. Drops ids whose job expired from the index (read and
// removed in one script, so a job created again keeps its id). Returns
// { kind, status, count, kind, status, count, … }. A state cjson cannot decode (it refuses an
// escaped lone surrogate that JSON.parse accepts) is read with a pattern instead.
const COUNT = `
local function kindAndStatus(raw)
  local ok, job = pcall(cjson.decode, raw)
  if ok and type(job) == 'table' and type(job.kind) == 'string' and type(job.status) == 'string' then
    return job.kind, job.status
  end
  return string.match(raw, '"kind":"([%w_]+)"'), string.match(raw, '"status":"([%w_]+)"')
end
local counts, found = {}, {}
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
    redis.call('ZREM', KEYS[1], ARGV[i - 1])
  end
end
local out = {}
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
 * open (queued, processing) jobs for `listOpen`, updated in the same script as the job. Both
 * indexes live at least as long as their newest job, and every write drops a few ids of expired
 * jobs from them, so they stay about as large as the live jobs even if nothing ever lists. Listings
 * page by creation time and id (not by position), so a job that stays unchanged during a listing is
 * listed exactly once while other instances write. The first `listOpen` on a key prefix indexes
 * the open jobs that an older version wrote, once.
 * `countByStatus` counts in Redis: the job hashes expire on their own and hold the kind and status
 * only inside the state JSON, so no counter or index can stay exact, and it still reads every job,
 * but a Lua script per page of 200 jobs decodes and counts them there and answers only the counts
 * (ids go to Redis, no job state comes back); it drops the ids of expired jobs from the index as
 * `list` does. On Redis Cluster the prefix needs a hash tag (`prefix: '{aisw}:'`).
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
  const keys = jobKeys(redis.prefix);
  const get = async (id: string): Promise<JobState | undefined> => {
    const raw = await redis.send(['HGET', keys.job(id), 'state']);
    return typeof raw === 'string' ? (JSON.parse(raw) as JobState) : undefined;
  };
  const write = (id: string, stored: JobState, expected: number) => writeJob(redis, keys, ttlMs, id, stored, expected);
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
      openIndexed ??= indexOpenJobs(redis, keys, ttlMs).catch((error: unknown) => {
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
  /** What precedes a job id in its key. */
  readonly jobPrefix: string;
  readonly job: (id: string) => string;
  /** Every job, by creation time. */
  readonly index: string;
  /** Open jobs only, by creation time. */
  readonly open: string;
  /** Set once the open jobs of older versions have been indexed. */
  readonly openReady: string;
}

function jobKeys(prefix: string): JobKeys {
  return {
    jobPrefix: `${prefix}job:`,
    job: (id: string) => `${prefix}job:${id}`,
    index: `${prefix}jobs`,
    open: `${prefix}jobs:open`,
    openReady: `${prefix}jobs:open:ready`,
  };
}

// One compare-and-set write of a job and its indexes (see CAS); answers 1 if it wrote.
function writeJob(
  redis: RedisRunner,
  keys: JobKeys,
  ttlMs: number,
  id: string,
  stored: JobState,
  expected: number,
): Promise<unknown> {
  return redis.script(
    CAS,
    [keys.job(id), keys.index, keys.open, keys.openReady],
    [
      String(expected),
      String(stored.version),
      JSON.stringify(stored),
      String(ttlMs),
      String(Date.parse(stored.createdAt) || Date.now()),
      id,
      isTerminal(stored.status) ? '0' : '1',
      keys.jobPrefix,
      String(Math.random()), // where the sweep looks, picked here: the script stays deterministic
      String(Math.random()),
    ],
  );
}

// The ids of an index, a page at a time, oldest ('asc') or newest ('desc') first. Each page starts
// after the last (score, member) of the one before, so entries added or removed meanwhile never
// shift it (see PAGE_AFTER); the index scores are creation times, which ZADD NX never changes.
async function* indexPages(redis: RedisRunner, key: string, order: 'asc' | 'desc'): AsyncGenerator<string[]> {
  let cursor = ['', ''];
  for (;;) {
    const flat = ((await redis.script(PAGE_AFTER, [key], [order, String(PAGE), ...cursor])) as unknown[]).map(String);
    const ids = flat.filter((_, i) => i % 2 === 0);
    if (ids.length > 0) yield ids;
    if (ids.length < PAGE) return;
    cursor = [flat[flat.length - 1]!, flat[flat.length - 2]!];
  }
}

// The states of some jobs, undefined for those that are gone.
async function readJobs(redis: RedisRunner, keys: JobKeys, ids: readonly string[]): Promise<(JobState | undefined)[]> {
  const states = await Promise.all(ids.map((id) => redis.send(['HGET', keys.job(id), 'state'])));
  return states.map((raw) => (typeof raw === 'string' ? (JSON.parse(raw) as JobState) : undefined));
}

// Removes the ids of jobs that were read as gone or terminal from an index, in one script, and only
// while each job is still as it was read (see PRUNE).
async function prune(redis: RedisRunner, key: string, stale: readonly [string, number][], keys: JobKeys) {
  if (stale.length === 0) return;
  await redis.script(
    PRUNE,
    [key, ...stale.map(([id]) => keys.job(id))],
    stale.flatMap(([id, version]) => [id, String(version)]),
  );
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
  if (limit <= 0) return out;
  for await (const ids of indexPages(redis, keys.index, 'desc')) {
    const jobs = await readJobs(redis, keys, ids);
    const expired: [string, number][] = [];
    jobs.forEach((job, i) => {
      if (job === undefined) return void expired.push([ids[i]!, 0]);
      if (out.length < limit && (!wanted || wanted.has(job.status))) out.push(job);
    });
    await prune(redis, keys.index, expired, keys);
    if (out.length >= limit) break;
  }
  return out;
}

// Reads the open index oldest first, and drops ids whose job expired or is terminal.
async function listOpenIndex(redis: RedisRunner, keys: JobKeys, limit: number): Promise<JobState[]> {
  const out: JobState[] = [];
  if (limit <= 0) return out;
  for await (const ids of indexPages(redis, keys.open, 'asc')) {
    const jobs = await readJobs(redis, keys, ids);
    const stale: [string, number][] = [];
    jobs.forEach((job, i) => {
      if (job === undefined || isTerminal(job.status)) stale.push([ids[i]!, job?.version ?? 0]);
      else if (out.length < limit) out.push(job);
    });
    await prune(redis, keys.open, stale, keys);
    if (out.length >= limit) break;
  }
  return out;
}

// Counts every job of the index by kind and status, one script per page (see COUNT).
async function countIndex(redis: RedisRunner, keys: JobKeys): Promise<JobCount[]> {
  const counts = new Map<string, { kind: JobKind; status: JobStatus; count: number }>();
  for await (const ids of indexPages(redis, keys.index, 'asc')) {
    const flat = (await redis.script(COUNT, [keys.index, ...ids.map(keys.job)], ids)) as unknown[];
    for (let i = 0; i + 2 < flat.length; i += 3) {
      const [kind, status, n] = [String(flat[i]) as JobKind, String(flat[i + 1]) as JobStatus, Number(flat[i + 2])];
      const entry = counts.get(`${kind}\n${status}`);
      if (entry === undefined) counts.set(`${kind}\n${status}`, { kind, status, count: n });
      else entry.count += n;
    }
  }
  return [...counts.values()];
}

// Jobs written before the open index existed are not in it: index the open ones, once per prefix.
// The marker expires like the indexes (the writes keep it alive); should it go, this runs again.
async function indexOpenJobs(redis: RedisRunner, keys: JobKeys, ttlMs: number): Promise<void> {
  if (Number(await redis.send(['EXISTS', keys.openReady])) === 1) return;
  for await (const ids of indexPages(redis, keys.index, 'asc')) {
    const jobs = await readJobs(redis, keys, ids);
    const scored: string[] = [];
    jobs.forEach((job, i) => {
      if (job && !isTerminal(job.status)) scored.push(String(Date.parse(job.createdAt) || 0), ids[i]!);
    });
    // A job that turns terminal meanwhile is dropped again by listOpen (its state says terminal).
    if (scored.length > 0) await redis.send(['ZADD', keys.open, 'NX', ...scored]);
  }
  await redis.send(['SET', keys.openReady, '1', 'PX', String(ttlMs)]);
}
