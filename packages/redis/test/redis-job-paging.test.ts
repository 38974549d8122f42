import type { JobState, JobStatus } from '@ai-stats-webhooks/core';
import { createRedisJobStore, type RedisCommandClient } from '@ai-stats-webhooks/redis';
import type { RedisServer } from '../../../test/helpers/redis-server';
import { connectRedis, disconnectRedis, type RedisClient } from './helpers/connect-redis';

let server: RedisServer;
let c: RedisClient;

beforeAll(async () => void ({ server, client: c } = await connectRedis()));
afterAll(() => disconnectRedis(server, c));

const BASE = Date.parse('2026-01-01T00:00:00Z');
const job = (id: string, i: number, status: JobStatus = 'queued'): JobState => ({
  id,
  kind: 'video',
  status,
  progress: 0,
  source: 'webhook',
  version: 1,
  createdAt: new Date(BASE + i * 1_000).toISOString(),
  updatedAt: new Date(BASE + i * 1_000).toISOString(),
});

// A command that reads one page of a sorted-set index: a ZRANGE of any form, or a script whose only
// key is an index (the page scripts); the count and prune scripts also name job keys.
const INDEX_READS = new Set(['ZRANGE', 'ZREVRANGE', 'ZRANGEBYSCORE', 'ZREVRANGEBYSCORE']);
const readsPage = (args: string[]) =>
  INDEX_READS.has(args[0]!) || ((args[0] === 'EVAL' || args[0] === 'EVALSHA') && args[2] === '1');

/** A client on which `hook` runs (once) right before the second page of an index is read. */
function beforeSecondPage(hook: () => unknown): RedisCommandClient {
  let pages = 0;
  return {
    async sendCommand(args) {
      if (readsPage(args) && ++pages === 2) await hook();
      return c.sendCommand(args);
    },
  };
}

async function setUp(name: string, total: number) {
  const prefix = `${name}${Date.now()}:`;
  const other = createRedisJobStore({ client: c, prefix }); // another process
  await other.listOpen!(); // the open index is ready: the listings below read only their own pages
  await Promise.all(Array.from({ length: total }, (_, i) => other.update(`G-${i}`, () => job(`G-${i}`, i))));
  return { prefix, other };
}

const counted = (ids: readonly string[]) => {
  const seen = new Map<string, number>();
  for (const id of ids) seen.set(id, (seen.get(id) ?? 0) + 1);
  return seen;
};

// Another process changes the index between two page reads: every job present and unchanged during
// the whole listing is listed exactly once (keyset paging on score and member, not by position).
describe('createRedisJobStore paging while another process writes', () => {
  it.each([200, 450])('list (%i jobs): a job added mid-listing repeats none', async (total) => {
    const { prefix, other } = await setUp('pagelist', total);
    const hook = () => other.update('G-new', () => job('G-new', 10_000_000));
    const jobs = createRedisJobStore({ client: beforeSecondPage(hook), prefix });
    const ids = (await jobs.list()).map((j) => j.id);
    const seen = counted(ids);
    for (let i = 0; i < total; i++) expect([`G-${i}`, seen.get(`G-${i}`)]).toEqual([`G-${i}`, 1]);
    expect(ids.length - (seen.has('G-new') ? 1 : 0)).toBe(total);
  });

  it.each([200, 450])('list (%i jobs): jobs removed from the first page skip none', async (total) => {
    const { prefix, other } = await setUp('pagelistgone', total);
    const newest = [total - 1, total - 2, total - 3].map((i) => `G-${i}`);
    const hook = async () => {
      await c.sendCommand(['DEL', ...newest.map((id) => `${prefix}job:${id}`)]); // expired…
      await other.list(); // …and pruned by another reader
    };
    const jobs = createRedisJobStore({ client: beforeSecondPage(hook), prefix });
    const seen = counted((await jobs.list()).map((j) => j.id));
    for (let i = 0; i < total - 3; i++) expect([`G-${i}`, seen.get(`G-${i}`)]).toEqual([`G-${i}`, 1]);
  });

  it.each([200, 450])('listOpen (%i jobs): older jobs completed mid-listing skip none', async (total) => {
    const { prefix, other } = await setUp('pageopen', total);
    const hook = () =>
      Promise.all(
        ['G-0', 'G-1', 'G-2'].map((id) => other.update(id, (j) => ({ ...j!, status: 'completed', version: 2 }))),
      );
    const jobs = createRedisJobStore({ client: beforeSecondPage(hook), prefix });
    const seen = counted((await jobs.listOpen!()).map((j) => j.id));
    for (let i = 3; i < total; i++) expect([`G-${i}`, seen.get(`G-${i}`)]).toEqual([`G-${i}`, 1]);
  });

  it.each([200, 450])('listOpen (%i jobs): an older job added mid-listing repeats none', async (total) => {
    const { prefix, other } = await setUp('pageopenadd', total);
    const hook = () => other.update('G-old', () => job('G-old', -5));
    const jobs = createRedisJobStore({ client: beforeSecondPage(hook), prefix });
    const seen = counted((await jobs.listOpen!()).map((j) => j.id));
    for (let i = 0; i < total; i++) expect([`G-${i}`, seen.get(`G-${i}`)]).toEqual([`G-${i}`, 1]);
  });

  it.each([200, 450])('countByStatus (%i jobs): jobs pruned from the first page skip none', async (total) => {
    const { prefix, other } = await setUp('pagecount', total);
    const hook = async () => {
      await c.sendCommand(['DEL', ...[10, 11, 12, 13, 14].map((i) => `${prefix}job:G-${i}`)]);
      await other.list();
    };
    const jobs = createRedisJobStore({ client: beforeSecondPage(hook), prefix });
    // The pruned five were counted in the first page, before they went; the rest once each.
    expect(await jobs.countByStatus!()).toEqual([{ kind: 'video', status: 'queued', count: total }]);
  });

  it.each([200, 450])('countByStatus (%i jobs): an older job added mid-count repeats none', async (total) => {
    const { prefix, other } = await setUp('pagecountadd', total);
    const hook = () => other.update('G-old', () => job('G-old', -5, 'completed'));
    const jobs = createRedisJobStore({ client: beforeSecondPage(hook), prefix });
    expect(await jobs.countByStatus!()).toEqual([{ kind: 'video', status: 'queued', count: total }]);
  });

  it('orders jobs created in the same millisecond by id, and pages through them', async () => {
    const prefix = `pageties${Date.now()}:`;
    const jobs = createRedisJobStore({ client: c, prefix });
    const ids = Array.from({ length: 450 }, (_, i) => `G-${String(i).padStart(3, '0')}`);
    await Promise.all(ids.map((id) => jobs.update(id, () => job(id, 7))));
    expect((await jobs.list()).map((j) => j.id)).toEqual([...ids].reverse());
    expect((await jobs.listOpen!()).map((j) => j.id)).toEqual(ids);
    expect(await jobs.countByStatus!()).toEqual([{ kind: 'video', status: 'queued', count: 450 }]);
  });
});
