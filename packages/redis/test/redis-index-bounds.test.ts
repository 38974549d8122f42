import type { JobState } from '@ai-stats-webhooks/core';
import { createRedisJobStore, type RedisCommandClient } from '@ai-stats-webhooks/redis';
import type { RedisServer } from '../../../test/helpers/redis-server';
import { connectRedis, disconnectRedis, type RedisClient } from './helpers/connect-redis';

let server: RedisServer;
let c: RedisClient;

beforeAll(async () => void ({ server, client: c } = await connectRedis()));
afterAll(() => disconnectRedis(server, c));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const job = (id: string, ms: number): JobState => ({
  id,
  kind: 'video',
  status: 'queued',
  progress: 0,
  source: 'webhook',
  version: 1,
  createdAt: new Date(ms).toISOString(),
  updatedAt: new Date(ms).toISOString(),
});
const write = (store: ReturnType<typeof createRedisJobStore>, ids: string[], at: number) =>
  Promise.all(ids.map((id, i) => store.update(id, () => job(id, at + i))));
const range = (name: string, n: number) => Array.from({ length: n }, (_, i) => `${name}-${i}`);
const pttl = (key: string) => c.sendCommand(['PTTL', key]).then(Number);
const zcard = (key: string) => c.sendCommand(['ZCARD', key]).then(Number);

// A deployment that only receives webhooks never lists: the writes alone keep the indexes bounded.
describe('createRedisJobStore index bounds', () => {
  it('gives the indexes an expiry of at least the job TTL, which a shorter TTL does not shorten', async () => {
    const prefix = `bounds${Date.now()}:`;
    const long = createRedisJobStore({ client: c, prefix, ttlMs: 60_000 });
    const short = createRedisJobStore({ client: c, prefix, ttlMs: 1_000 });
    await long.listOpen!(); // sets the ready marker
    await write(long, ['G-1'], 1_000);
    for (const key of ['jobs', 'jobs:open', 'jobs:open:ready']) {
      expect([key, await pttl(`${prefix}${key}`)]).toEqual([key, expect.any(Number)]);
      expect(await pttl(`${prefix}${key}`)).toBeGreaterThan(50_000);
    }
    await write(short, ['G-2'], 2_000);
    for (const key of ['jobs', 'jobs:open', 'jobs:open:ready'])
      expect(await pttl(`${prefix}${key}`)).toBeGreaterThan(50_000);
  });

  it('lets the indexes expire with their last job', async () => {
    const prefix = `boundsgone${Date.now()}:`;
    const jobs = createRedisJobStore({ client: c, prefix, ttlMs: 200 });
    await jobs.listOpen!();
    await write(jobs, range('G', 5), 1_000);
    await sleep(400);
    const keys = ['jobs', 'jobs:open', 'jobs:open:ready'].map((key) => `${prefix}${key}`);
    expect(Number(await c.sendCommand(['EXISTS', ...keys]))).toBe(0);
  });

  it('gives the open index that the first listOpen builds (jobs of an older version) an expiry too', async () => {
    const prefix = `boundsbuilt${Date.now()}:`;
    const jobs = createRedisJobStore({ client: c, prefix, ttlMs: 200 });
    await write(jobs, range('G', 5), 1_000);
    await c.sendCommand(['DEL', `${prefix}jobs:open`]); // as a version without the open index left it
    expect((await jobs.listOpen!()).map((j) => j.id)).toEqual(range('G', 5));
    expect(await pttl(`${prefix}jobs:open`)).toBeGreaterThan(0);
    await sleep(400);
    const keys = ['jobs', 'jobs:open', 'jobs:open:ready'].map((key) => `${prefix}${key}`);
    expect(Number(await c.sendCommand(['EXISTS', ...keys]))).toBe(0);
  });

  it('drops the ids of expired jobs as new jobs are written, without any listing', async () => {
    const prefix = `boundsprune${Date.now()}:`;
    const short = createRedisJobStore({ client: c, prefix, ttlMs: 200 });
    const long = createRedisJobStore({ client: c, prefix, ttlMs: 60_000 });
    await write(short, range('G-old', 300), 1_000);
    await sleep(400); // the 300 jobs expired; their ids are still indexed
    for (const id of range('G-new', 300)) await write(long, [id], 1_000_000);
    expect(await zcard(`${prefix}jobs`)).toBeLessThanOrEqual(310);
    expect(await zcard(`${prefix}jobs:open`)).toBeLessThanOrEqual(310);
    expect((await long.list()).length).toBe(300);
  });

  it('drops dead ids even behind an oldest job that stays alive', async () => {
    const prefix = `boundshead${Date.now()}:`;
    const short = createRedisJobStore({ client: c, prefix, ttlMs: 200 });
    const long = createRedisJobStore({ client: c, prefix, ttlMs: 60_000 });
    await write(long, ['G-first'], 0); // the oldest, alive throughout
    await write(short, range('G-old', 200), 1_000);
    await sleep(400);
    for (const id of range('G-new', 600)) await write(long, [id], 1_000_000);
    // Sampled, not exact: most of the 200 dead ids are gone.
    expect(await zcard(`${prefix}jobs`)).toBeLessThanOrEqual(601 + 40);
  });
});

describe('createRedisJobStore list, removing expired ids', () => {
  it('keeps the id of a job created again between its read and its removal', async () => {
    const prefix = `relist${Date.now()}:`;
    const other = createRedisJobStore({ client: c, prefix });
    await other.update('G-x', () => job('G-x', 1_000));
    await c.sendCommand(['DEL', `${prefix}job:G-x`]); // the job expired
    let armed = true;
    // Right before the reader removes the id (a ZREM, or a script naming job keys), it comes back.
    const removes = (args: string[]) =>
      args[0] === 'ZREM' || ((args[0] === 'EVAL' || args[0] === 'EVALSHA') && Number(args[2]) > 1);
    const client: RedisCommandClient = {
      async sendCommand(args) {
        if (armed && removes(args)) {
          armed = false;
          await other.update('G-x', () => job('G-x', 1_000));
        }
        return c.sendCommand(args);
      },
    };
    await createRedisJobStore({ client, prefix }).list();
    expect(armed).toBe(false);
    expect((await other.list()).map((j) => j.id)).toEqual(['G-x']);
    expect(await other.countByStatus!()).toEqual([{ kind: 'video', status: 'queued', count: 1 }]);
  });
});
