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
import { CAS, COUNT, PAGE_AFTER, PRUNE } from './redis-job-scripts';

/** Options of {@link createRedisJobStore}. */
export interface RedisJobStoreOptions extends RedisStoreBaseOptions {
  /** A job key expires this long after its last change. Default 30 days. */
  readonly ttlMs?: number;
  /** Compare-and-set attempts before `update` gives up (the receiver answers 503). Default 50. */
  readonly maxRetries?: number;
}

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
  // ZADD gives a new key no expiry: the index lives as long as its newest job, as the writes keep it.
  const left = Number(await redis.send(['PTTL', keys.open]));
  if (left !== -2 && left < ttlMs) await redis.send(['PEXPIRE', keys.open, String(ttlMs)]);
  await redis.send(['SET', keys.openReady, '1', 'PX', String(ttlMs)]);
}
