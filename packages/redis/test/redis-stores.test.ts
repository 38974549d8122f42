import { createClient } from 'redis';
import { applyObservation, createReceiver, type JobObservation } from '@ai-stats-webhooks/core';
import { createRedisDedupeStore, createRedisJobStore } from '@ai-stats-webhooks/redis';
import { SECRET, fixture, sign } from '../../../test/helpers/deliveries';
import { startRedisServer, type RedisServer } from '../../../test/helpers/redis-server';

let server: RedisServer;
const clients: ReturnType<typeof createClient>[] = [];
const errors: string[] = [];

async function client() {
  // disableOfflineQueue: while Redis is down, commands fail at once instead of waiting.
  const c = createClient({ url: server.url, disableOfflineQueue: true, socket: { reconnectStrategy: () => 100 } });
  c.on('error', (error: Error) => errors.push(error.message));
  await c.connect();
  clients.push(c);
  return c;
}

beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(async () => {
  for (const c of clients) await c.close().catch(() => undefined);
  await server.stop();
});

let n = 0;
const key = () => `evt_test_${Date.now()}_${++n}`;

// The rules every store keeps (claim, leases, TTL, concurrent claims; get, update, list, listOpen,
// concurrent writers) are in store-contracts.test.ts; these cases are the Redis stores' own.
describe('createRedisDedupeStore', () => {
  it('prefixes and expires every key', async () => {
    const c = await client();
    const store = createRedisDedupeStore({ client: c, prefix: 'myapp:', ttlMs: 5_000 });
    const k = key();
    const claim = (await store.claim(k)) as { token: string };
    await store.commit(k, claim.token);
    const ttl = Number(await c.sendCommand(['PTTL', `myapp:dedupe:${k}`]));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(5_000);
  });
});

describe('createRedisJobStore', () => {
  const obs = (id: string, status: JobObservation['status'], progress = 0): JobObservation => ({
    id,
    kind: 'video',
    status,
    progress,
    source: 'webhook',
  });

  it('lists open jobs oldest first from the open index, which terminal writes leave atomically', async () => {
    const c = await client();
    const prefix = `open${Date.now()}:`;
    const jobs = createRedisJobStore({ client: c, prefix });
    await jobs.update('G-O1', (j) => applyObservation(j, obs('G-O1', 'queued'), new Date(1_000)).state);
    await jobs.update('G-O2', (j) => applyObservation(j, obs('G-O2', 'completed'), new Date(2_000)).state);
    await jobs.update('G-O3', (j) => applyObservation(j, obs('G-O3', 'processing'), new Date(3_000)).state);
    await jobs.update('G-O4', (j) => applyObservation(j, obs('G-O4', 'queued'), new Date(4_000)).state);
    await jobs.update('G-O3', (j) => applyObservation(j, obs('G-O3', 'failed'), new Date(5_000)).state);
    await jobs.update('G-O1', (j) => applyObservation(j, obs('G-O1', 'processing', 40), new Date(6_000)).state);
    expect((await jobs.listOpen!()).map((j) => j.id)).toEqual(['G-O1', 'G-O4']);
    expect((await jobs.listOpen!({ limit: 1 })).map((j) => j.id)).toEqual(['G-O1']);
    // The index itself holds only open ids: a terminal job is never read by listOpen.
    expect(await c.sendCommand(['ZRANGE', `${prefix}jobs:open`, '0', '-1'])).toEqual(['G-O1', 'G-O4']);
  });

  it('drops ids of expired jobs from the open index', async () => {
    const c = await client();
    const prefix = `openttl${Date.now()}:`;
    const jobs = createRedisJobStore({ client: c, prefix });
    await jobs.update('G-E1', (j) => applyObservation(j, obs('G-E1', 'queued'), new Date(1_000)).state);
    await jobs.update('G-E2', (j) => applyObservation(j, obs('G-E2', 'queued'), new Date(2_000)).state);
    await c.sendCommand(['DEL', `${prefix}job:G-E1`]); // as if its TTL ran out
    expect((await jobs.listOpen!()).map((j) => j.id)).toEqual(['G-E2']);
    expect(await c.sendCommand(['ZRANGE', `${prefix}jobs:open`, '0', '-1'])).toEqual(['G-E2']);
  });

  it('indexes, once, the open jobs written before the open index existed', async () => {
    const c = await client();
    const prefix = `openold${Date.now()}:`;
    const old = (id: string, status: JobObservation['status'], ms: number) => {
      const state = applyObservation(undefined, obs(id, status), new Date(ms)).state;
      return Promise.all([
        c.sendCommand(['HSET', `${prefix}job:${id}`, 'version', '1', 'state', JSON.stringify(state)]),
        c.sendCommand(['ZADD', `${prefix}jobs`, String(ms), id]),
      ]);
    };
    await old('G-B1', 'processing', 1_000);
    await old('G-B2', 'completed', 2_000);
    await old('G-B3', 'queued', 3_000);
    const jobs = createRedisJobStore({ client: c, prefix });
    expect((await jobs.listOpen!()).map((j) => j.id)).toEqual(['G-B1', 'G-B3']);
    await old('G-B4', 'queued', 4_000); // written behind the store's back after the index was built
    expect((await createRedisJobStore({ client: c, prefix }).listOpen!()).map((j) => j.id)).toEqual(['G-B1', 'G-B3']);
  });
});

describe('Redis unreachable', () => {
  it('answers 503 and processes nothing while Redis is down, and recovers when it is back', async () => {
    const c = await client();
    const receiver = createReceiver({
      secret: SECRET,
      logger: {},
      dedupe: createRedisDedupeStore({ client: c, prefix: `down${Date.now()}:`, commandTimeoutMs: 500 }),
      jobs: createRedisJobStore({ client: c, prefix: `down${Date.now()}:`, commandTimeoutMs: 500 }),
    });
    let handled = 0;
    receiver.onAny(() => void handled++);
    const send = async () => {
      const d = sign(fixture('video.completed.json'));
      return receiver.handle({ method: 'POST', headers: d.headers, rawBody: d.body });
    };
    await server.stop();
    const down = await send();
    expect(down.status).toBe(503);
    expect(JSON.parse(down.body)).toMatchObject({ error: 'store_unavailable' });
    expect(handled).toBe(0);
    await server.start();
    let res = await send();
    for (let i = 0; i < 50 && res.status !== 200; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      res = await send();
    }
    expect(res.status).toBe(200);
    expect(handled).toBe(1);
    expect((await send()).body).toMatch(/"duplicate":true/);
    expect(errors.length).toBeGreaterThan(0); // the clients reported the outage and the process lived
  }, 30_000);
});
