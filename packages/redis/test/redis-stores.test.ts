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

describe('createRedisDedupeStore', () => {
  it('claims once, answers in_flight while held and done after commit; only the holder commits', async () => {
    const store = createRedisDedupeStore({ client: await client() });
    const k = key();
    const claim = await store.claim(k);
    expect(claim.outcome).toBe('claimed');
    expect(await store.claim(k)).toEqual({ outcome: 'in_flight' });
    expect(await store.commit(k, 'lease:someone-else')).toBe(false);
    expect(await store.release(k, 'lease:someone-else')).toBe(false);
    expect(await store.commit(k, (claim as { token: string }).token)).toBe(true);
    expect(await store.claim(k)).toEqual({ outcome: 'done' });
  });

  it('a released claim is claimable again; an expired lease too, and the stale holder is refused', async () => {
    const store = createRedisDedupeStore({ client: await client(), leaseMs: 150 });
    const k = key();
    const first = (await store.claim(k)) as { token: string };
    expect(await store.release(k, first.token)).toBe(true);
    const second = (await store.claim(k)) as { outcome: string; token: string };
    expect(second.outcome).toBe('claimed');
    await new Promise((resolve) => setTimeout(resolve, 250));
    const third = (await store.claim(k)) as { outcome: string; token: string };
    expect(third.outcome).toBe('claimed');
    expect(await store.commit(k, second.token)).toBe(false);
    expect(await store.commit(k, third.token)).toBe(true);
  });

  it('gives exactly one claim to many concurrent callers on several connections', async () => {
    const stores = await Promise.all([1, 2, 3].map(async () => createRedisDedupeStore({ client: await client() })));
    const k = key();
    const results = await Promise.all(Array.from({ length: 60 }, (_, i) => stores[i % 3]!.claim(k)));
    expect(results.filter((r) => r.outcome === 'claimed')).toHaveLength(1);
  });

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
  const at = new Date();
  const obs = (id: string, status: JobObservation['status'], progress = 0): JobObservation => ({
    id,
    kind: 'video',
    status,
    progress,
    source: 'webhook',
  });

  it('stores, reads and lists jobs newest first', async () => {
    const jobs = createRedisJobStore({ client: await client(), prefix: `list${Date.now()}:` });
    await jobs.update('G-A', (c) => applyObservation(c, obs('G-A', 'queued'), new Date(1_000)).state);
    await jobs.update('G-B', (c) => applyObservation(c, obs('G-B', 'processing'), new Date(2_000)).state);
    expect((await jobs.list()).map((j) => j.id)).toEqual(['G-B', 'G-A']);
    expect((await jobs.list({ status: ['queued'] })).map((j) => j.id)).toEqual(['G-A']);
    expect(await jobs.get('G-A')).toMatchObject({ status: 'queued', version: 1 });
    expect(await jobs.get('G-none')).toBeUndefined();
  });

  it('loses no update under concurrent writers on several connections', async () => {
    const prefix = `cas${Date.now()}:`;
    const stores = await Promise.all(
      [1, 2, 3].map(async () => createRedisJobStore({ client: await client(), prefix })),
    );
    await stores[0]!.update('G-C', (c) => applyObservation(c, obs('G-C', 'processing', 0), at).state);
    // A counter that only a correct compare-and-set keeps exact.
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        stores[i % 3]!.update('G-C', (current) => ({
          ...current!,
          progress: current!.progress + 1,
          version: current!.version + 1,
        })),
      ),
    );
    expect(await stores[1]!.get('G-C')).toMatchObject({ progress: 40, version: 41 });
  });

  it('never moves a job backwards when instances apply different events at once', async () => {
    const prefix = `race${Date.now()}:`;
    const stores = await Promise.all([1, 2].map(async () => createRedisJobStore({ client: await client(), prefix })));
    const events = [
      obs('G-R', 'queued'),
      obs('G-R', 'processing', 30),
      obs('G-R', 'completed'),
      obs('G-R', 'processing', 50),
      obs('G-R', 'queued'),
    ];
    await Promise.all(events.map((e, i) => stores[i % 2]!.update('G-R', (c) => applyObservation(c, e, at).state)));
    expect(await stores[0]!.get('G-R')).toMatchObject({ status: 'completed', progress: 100 });
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

  it('keeps the open index exact under concurrent writers', async () => {
    const prefix = `openrace${Date.now()}:`;
    const stores = await Promise.all(
      [1, 2, 3].map(async () => createRedisJobStore({ client: await client(), prefix })),
    );
    const ids = Array.from({ length: 30 }, (_, i) => `G-Q${i}`);
    const events = ids.flatMap((id, i) => [
      obs(id, 'queued'),
      obs(id, 'processing', 20),
      ...(i % 3 === 0 ? [obs(id, 'completed')] : []),
      obs(id, 'processing', 50),
    ]);
    await Promise.all(events.map((e, i) => stores[i % 3]!.update(e.id, (c) => applyObservation(c, e, at).state)));
    const open = (await stores[0]!.listOpen!()).map((j) => j.id).sort();
    expect(open).toEqual(ids.filter((_, i) => i % 3 !== 0).sort());
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
