import { applyObservation, type JobObservation } from '@ai-stats-webhooks/core';
import { createRedisJobStore } from '@ai-stats-webhooks/redis';
import type { RedisServer } from '../../../test/helpers/redis-server';
import { connectRedis, disconnectRedis, type RedisClient } from './helpers/connect-redis';

let server: RedisServer;
let c: RedisClient;

beforeAll(async () => void ({ server, client: c } = await connectRedis()));
afterAll(() => disconnectRedis(server, c));

const obs = (id: string, status: JobObservation['status']): JobObservation => ({
  id,
  kind: 'video',
  status,
  source: 'webhook',
});

// The counts every store gives are in the contract (store-contracts.test.ts); these cases are
// the Redis store's own: the count runs in Redis, and expired jobs are neither counted nor kept.
describe('createRedisJobStore countByStatus', () => {
  it('skips expired jobs across pages, drops their ids from the index, and counts the rest', async () => {
    const prefix = `count${Date.now()}:`;
    const jobs = createRedisJobStore({ client: c, prefix });
    const total = 450; // three pages of 200
    await Promise.all(
      Array.from({ length: total }, (_, i) => {
        const id = `G-${i}`;
        const status = i % 3 === 0 ? 'completed' : 'queued';
        return jobs.update(id, (j) => applyObservation(j, obs(id, status), new Date(1_000 + i * 1_000)).state);
      }),
    );
    // As if their TTL ran out: the first 250 jobs by creation time, so whole pages and part of one go.
    const gone = Array.from({ length: 250 }, (_, i) => `${prefix}job:G-${i}`);
    await c.sendCommand(['DEL', ...gone]);
    const left = Array.from({ length: total - 250 }, (_, i) => 250 + i);
    const completed = left.filter((i) => i % 3 === 0).length;
    const expected = [
      { kind: 'video', status: 'completed', count: completed },
      { kind: 'video', status: 'queued', count: left.length - completed },
    ];
    const byStatus = (counts: readonly { status: string }[]) =>
      [...counts].sort((a, b) => a.status.localeCompare(b.status));
    expect(byStatus(await jobs.countByStatus!())).toEqual(expected);
    expect(Number(await c.sendCommand(['ZCARD', `${prefix}jobs`]))).toBe(left.length);
    expect(byStatus(await jobs.countByStatus!())).toEqual(expected); // the same once pruned
  });

  it('answers no counts for an empty prefix, then the one job written', async () => {
    const prefix = `countempty${Date.now()}:`;
    const jobs = createRedisJobStore({ client: c, prefix });
    expect(await jobs.countByStatus!()).toEqual([]);
    await jobs.update(
      'B-1',
      (j) => applyObservation(j, { ...obs('B-1', 'processing'), kind: 'batch' }, new Date()).state,
    );
    expect(await jobs.countByStatus!()).toEqual([{ kind: 'batch', status: 'processing', count: 1 }]);
  });
});

describe('createRedisJobStore list', () => {
  it('pages past expired jobs without skipping live ones', async () => {
    const prefix = `listttl${Date.now()}:`;
    const jobs = createRedisJobStore({ client: c, prefix });
    const total = 450;
    await Promise.all(
      Array.from({ length: total }, (_, i) =>
        jobs.update(`G-${i}`, (j) => applyObservation(j, obs(`G-${i}`, 'queued'), new Date(1_000 + i * 1_000)).state),
      ),
    );
    // list() is newest first: the newest 50 (in its first page) expire.
    await c.sendCommand(['DEL', ...Array.from({ length: 50 }, (_, i) => `${prefix}job:G-${total - 1 - i}`)]);
    const listed = await jobs.list();
    expect(listed).toHaveLength(total - 50);
    expect(new Set(listed.map((job) => job.id)).size).toBe(total - 50);
  });

  it('two readers pruning the same expired ids at once both list every live job', async () => {
    const prefix = `listpair${Date.now()}:`;
    const jobs = createRedisJobStore({ client: c, prefix });
    const other = createRedisJobStore({ client: c, prefix });
    await Promise.all(
      Array.from({ length: 450 }, (_, i) =>
        jobs.update(`G-${i}`, (j) => applyObservation(j, obs(`G-${i}`, 'queued'), new Date(1_000 + i * 1_000)).state),
      ),
    );
    await c.sendCommand(['DEL', ...Array.from({ length: 50 }, (_, i) => `${prefix}job:G-${449 - i}`)]);
    const [mine, theirs] = await Promise.all([jobs.list(), other.list()]);
    expect([mine.length, theirs.length]).toEqual([400, 400]);
  });
});

describe('createRedisJobStore listOpen', () => {
  it('two readers pruning the same expired open ids at once both list every open job', async () => {
    const prefix = `openpair${Date.now()}:`;
    const jobs = createRedisJobStore({ client: c, prefix });
    const other = createRedisJobStore({ client: c, prefix });
    await jobs.listOpen!(); // the open index exists before the jobs are written
    await Promise.all(
      Array.from({ length: 450 }, (_, i) =>
        jobs.update(`G-${i}`, (j) => applyObservation(j, obs(`G-${i}`, 'queued'), new Date(1_000 + i * 1_000)).state),
      ),
    );
    await c.sendCommand(['DEL', ...Array.from({ length: 50 }, (_, i) => `${prefix}job:G-${i}`)]);
    const [mine, theirs] = await Promise.all([jobs.listOpen!(), other.listOpen!()]);
    expect([mine.length, theirs.length]).toEqual([400, 400]);
  });
});

describe('createRedisJobStore countByStatus, more', () => {
  it('two readers counting while they prune the same expired ids both count every live job', async () => {
    const prefix = `countpair${Date.now()}:`;
    const jobs = createRedisJobStore({ client: c, prefix });
    const other = createRedisJobStore({ client: c, prefix });
    await Promise.all(
      Array.from({ length: 450 }, (_, i) =>
        jobs.update(`G-${i}`, (j) => applyObservation(j, obs(`G-${i}`, 'queued'), new Date(1_000 + i * 1_000)).state),
      ),
    );
    await c.sendCommand(['DEL', ...Array.from({ length: 50 }, (_, i) => `${prefix}job:G-${i}`)]);
    const [mine, theirs] = await Promise.all([jobs.countByStatus!(), other.countByStatus!()]);
    expect([mine, theirs]).toEqual([
      [{ kind: 'video', status: 'queued', count: 400 }],
      [{ kind: 'video', status: 'queued', count: 400 }],
    ]);
  });

  it('counts a job whose state holds a lone surrogate (which cjson refuses)', async () => {
    const prefix = `countsurrogate${Date.now()}:`;
    const jobs = createRedisJobStore({ client: c, prefix });
    await jobs.update('G-S', (j) => ({
      ...applyObservation(j, obs('G-S', 'failed'), new Date(1_000)).state,
      failure: { code: 'upstream', message: 'cut in an emoji \ud83d' },
    }));
    await jobs.update('G-T', (j) => applyObservation(j, obs('G-T', 'queued'), new Date(2_000)).state);
    expect((await jobs.get('G-S'))?.failure?.message).toBe('cut in an emoji \ud83d');
    const counts = [...(await jobs.countByStatus!())].sort((a, b) => a.status.localeCompare(b.status));
    expect(counts).toEqual([
      { kind: 'video', status: 'failed', count: 1 },
      { kind: 'video', status: 'queued', count: 1 },
    ]);
  });
});
