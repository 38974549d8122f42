import type { PGlite } from '@electric-sql/pglite';
import type { PostgresQueryable } from '@ai-stats-webhooks/postgres';
import { event, fixture } from '../../../test/helpers/deliveries';
import { startScriptedApi, type ScriptedApi } from '../../../test/helpers/scripted-api';
import { loadPGlite } from './helpers/load-pglite';
import { count, inboxInstances, testClock, until, videoDeliveries, type InboxInstance } from './helpers/inbox-setup';
import { startPgFixture, type PgFixture } from './helpers/pg-pools';

// createInboxWorker on a PostgreSQL server (three pools: three app instances) and on PGlite.
let pg: PgFixture;
let pglite: PGlite;
let api: ScriptedApi;

beforeAll(async () => {
  pg = await startPgFixture(3);
  const { PGlite } = await loadPGlite();
  pglite = await PGlite.create();
  api = await startScriptedApi();
}, 60_000);
afterAll(async () => {
  await pg?.close();
  await pglite?.close();
  await api?.close();
}, 30_000);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// The handlers' own table, written through context.tx: it holds what committed.
async function handledTable(db: PostgresQueryable, schema: string): Promise<void> {
  await db.query(`create table "${schema}".handled (id serial primary key, event_id text not null, job_id text)`);
}

function recordHandled(app: InboxInstance, schema: string, runs: Map<string, number>, fail?: () => Error | undefined) {
  app.receiver.onAny(async ({ event: e, tx }) => {
    runs.set(e.id, (runs.get(e.id) ?? 0) + 1);
    await (tx as PostgresQueryable).query(`insert into "${schema}".handled (event_id, job_id) values ($1, $2)`, [
      e.id,
      e.data.id,
    ]);
    const error = fail?.();
    if (error) throw error;
  });
}

describe('inbox worker on pg', () => {
  it('processes 200 events once with 3 workers on 3 pools, duplicates included, one event per job at a time', async () => {
    const { schema, instances } = await inboxInstances(pg.pools);
    await handledTable(pg.pools[0]!, schema);
    const runs = new Map<string, number>();
    const active = new Map<string, number>();
    let overlaps = 0;
    for (const app of instances) {
      recordHandled(app, schema, runs);
      app.receiver.onAny(async ({ job }) => {
        const now = (active.get(job.id) ?? 0) + 1;
        active.set(job.id, now);
        if (now > 1) overlaps++;
        await sleep(Math.random() * 4);
        active.set(job.id, active.get(job.id)! - 1);
      });
    }
    const workers = instances.map((app) => app.worker({ concurrency: 4, pollIntervalMs: 200 }));
    await Promise.all(workers.map((w) => w.start()));
    const deliveries = videoDeliveries(40, 5);
    const copies = deliveries.filter((_, i) => i % 4 === 0).map((d) => ({ ...d, body: { ...d.body } }));
    const all = [...deliveries, ...copies];
    const started = Date.now();
    const answers = [];
    for (let i = 0; i < all.length; i += 25) {
      const chunk = all.slice(i, i + 25);
      answers.push(...(await Promise.all(chunk.map((d, k) => instances[(i + k) % 3]!.send(d)))));
    }
    const ackMs = Date.now() - started;
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(answers.filter((a) => a.json.duplicate === true)).toHaveLength(copies.length);
    await until(async () => (await instances[0]!.inbox.stats()).done === 200, 30_000);
    const drainMs = Date.now() - started;
    await Promise.all(workers.map((w) => w.stop()));
    const handled = await count(pg.pools[0]!, schema, 'handled');
    const distinct = Number(
      (await pg.pools[0]!.query(`select count(distinct event_id)::int as n from "${schema}".handled`)).rows[0].n,
    );
    console.log(
      `inbox on pg: ${all.length} deliveries acked in ${ackMs} ms; 200 events processed by 3 workers in ${drainMs} ms; ` +
        `per worker ${workers.map((w) => w.counts.processed).join('/')}; busy ${workers.reduce((n, w) => n + w.counts.busy, 0)}; overlaps ${overlaps}`,
    );
    expect({ handled, distinct, overlaps }).toEqual({ handled: 200, distinct: 200, overlaps: 0 });
    expect([...runs.values()].every((n) => n === 1)).toBe(true);
    expect(await count(pg.pools[0]!, schema, 'processed_events', "state = 'done'")).toBe(200);
    expect(await count(pg.pools[0]!, schema, 'jobs', "status = 'completed'")).toBe(40);
  }, 60_000);

  it('retries a failing handler with backoff, dead-letters it after maxAttempts (credentials redacted), and a replay processes it', async () => {
    const clock = testClock();
    const { schema, instances } = await inboxInstances([pg.pools[0]!], { now: clock.now });
    const app = instances[0]!;
    await handledTable(pg.pools[0]!, schema);
    const runs = new Map<string, number>();
    let failing = true;
    recordHandled(app, schema, runs, () =>
      failing ? new Error('upload to https://user:hunter2@storage.example/v.mp4 failed') : undefined,
    );
    const worker = app.worker({ maxAttempts: 3, backoff: { baseMs: 1_000, maxMs: 4_000 }, random: () => 1 });
    await app.send(fixture('video.completed.json'));
    const due = async () => (await app.inbox.list())[0]!;
    expect(await worker.drain()).toMatchObject({ retry: 1, processed: 0, timedOut: false });
    expect((await due()).nextAttemptAt.getTime() - clock.now()).toBe(1_000);
    expect(await worker.drain()).toMatchObject({ retry: 0, processed: 0 }); // not due yet
    clock.advance(1_000);
    expect(await worker.drain()).toMatchObject({ retry: 1 });
    expect((await due()).nextAttemptAt.getTime() - clock.now()).toBe(2_000);
    clock.advance(2_000);
    expect(await worker.drain()).toMatchObject({ dead: 1 });
    const [dead] = await app.inbox.list({ status: 'dead' });
    expect(dead).toMatchObject({ attempts: 3, status: 'dead' });
    expect(dead!.lastError).toContain('handler_failed');
    expect(dead!.lastError).toContain('https://***@storage.example/v.mp4 failed');
    expect(dead!.lastError).not.toContain('hunter2');
    expect(await count(pg.pools[0]!, schema, 'handled')).toBe(0); // every failed attempt rolled back
    failing = false;
    expect(await app.inbox.replay(dead!.eventId)).toEqual({ replayed: true, status: 'dead' });
    expect(await worker.drain()).toMatchObject({ processed: 1 });
    expect(await count(pg.pools[0]!, schema, 'handled')).toBe(1);
    expect(runs.get(dead!.eventId)).toBe(4);
    expect(await app.inbox.stats()).toMatchObject({ done: 1, dead: 0, pending: 0 });
  }, 30_000);

  it('retries when the Video API answers 503, then 429 (honouring Retry-After), during reconciliation', async () => {
    const clock = testClock();
    const answers = [
      { status: 503, body: { error: 'unavailable' } },
      { status: 429, headers: { 'retry-after': '3' }, body: { error: 'rate_limited' } },
      { status: 200, body: fixture('video.get.completed.json') },
    ];
    api.answer = () => answers.shift() ?? { status: 500, body: {} };
    const { instances } = await inboxInstances([pg.pools[0]!], {
      now: clock.now,
      receiver: { api: { baseUrl: api.baseUrl, apiKey: 'sk_test' }, reconcile: 'always' },
    });
    const app = instances[0]!;
    const worker = app.worker({ backoff: { baseMs: 1_000, maxMs: 60_000 }, random: () => 1 });
    await app.send(fixture('video.completed.json'));
    expect(await worker.drain()).toMatchObject({ retry: 1 });
    const [first] = await app.inbox.list();
    expect(first!.lastError).toContain('reconcile_failed');
    clock.advance(1_000);
    expect(await worker.drain()).toMatchObject({ retry: 1 });
    expect((await app.inbox.list())[0]!.nextAttemptAt.getTime() - clock.now()).toBe(3_000); // Retry-After > 2 s backoff
    clock.advance(3_000);
    expect(await worker.drain()).toMatchObject({ processed: 1 });
    expect(await app.stores.jobs.get('G-01KA7Q3M9V2X5C8B4N6D1F0H7J')).toMatchObject({ status: 'completed' });
  }, 30_000);

  it('stops gracefully: finishes the event in flight, then claims nothing more', async () => {
    const { instances } = await inboxInstances([pg.pools[0]!]);
    const app = instances[0]!;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let started = 0;
    app.receiver.onAny(async () => {
      started++;
      await gate;
    });
    const worker = app.worker({ pollIntervalMs: 20 });
    await worker.start();
    await app.send(event('video.completed.json', { jobId: 'G-STOP1' }));
    await until(async () => started === 1, 5_000);
    const stopping = worker.stop({ timeoutMs: 5_000 });
    await sleep(100);
    await app.send(event('video.completed.json', { jobId: 'G-STOP2' }));
    release();
    expect(await stopping).toEqual({ abandoned: 0, released: 0 });
    await sleep(200);
    expect(started).toBe(1);
    expect(await app.inbox.stats()).toMatchObject({ done: 1, pending: 1, processing: 0 });
  }, 30_000);

  it('stops within its timeout when a handler hangs; the event commits when the handler ends', async () => {
    const { instances } = await inboxInstances([pg.pools[0]!]);
    const app = instances[0]!;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    app.receiver.onAny(() => gate);
    const worker = app.worker({ pollIntervalMs: 20 });
    await worker.start();
    await app.send(fixture('video.completed.json'));
    await until(async () => (await app.inbox.stats()).processing === 1, 5_000);
    const started = Date.now();
    expect(await worker.stop({ timeoutMs: 200 })).toEqual({ abandoned: 1, released: 0 });
    expect(Date.now() - started).toBeLessThan(2_000);
    release();
    await until(async () => (await app.inbox.stats()).done === 1, 5_000);
  }, 30_000);

  it('drain() gives up at its timeout when a handler hangs, says what still runs, and leaves the worker stopped', async () => {
    const { instances } = await inboxInstances([pg.pools[0]!]);
    const app = instances[0]!;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    app.receiver.onAny(({ job }) => (job.id === 'G-HANG' ? gate : undefined));
    await app.send(event('video.completed.json', { jobId: 'G-HANG' }));
    await app.send(event('video.completed.json', { jobId: 'G-FINE' }));
    const worker = app.worker();
    try {
      const started = Date.now();
      const drained = await Promise.race([
        worker.drain({ timeoutMs: 500 }),
        sleep(5_000).then(() => 'no answer within 5 s'),
      ]);
      expect(drained).toMatchObject({ processed: 1, timedOut: true, abandoned: 1, released: 0 });
      expect(Date.now() - started).toBeLessThan(3_000);
      await worker.start(); // stopped again, not stuck in "draining"
      expect(await worker.stop({ timeoutMs: 100 })).toEqual({ abandoned: 1, released: 0 });
    } finally {
      release();
    }
    await until(async () => (await app.inbox.stats()).done === 2, 5_000);
  }, 30_000);

  it('wakes on NOTIFY, without waiting for its poll', async () => {
    const { instances } = await inboxInstances([pg.pools[0]!]);
    const app = instances[0]!;
    const worker = app.worker({ pollIntervalMs: 60_000 });
    await worker.start();
    await sleep(100);
    const sent = Date.now();
    await app.send(fixture('video.completed.json'));
    await until(async () => (await app.inbox.stats()).done === 1, 5_000);
    console.log(`inbox on pg: NOTIFY to done in ${Date.now() - sent} ms`);
    await worker.stop();
  }, 30_000);
});

describe('inbox worker on PGlite', () => {
  it('processes what the receiver enqueues, woken by NOTIFY in process, and retries a failure', async () => {
    const { schema, instances } = await inboxInstances([pglite]);
    const app = instances[0]!;
    await handledTable(pglite, schema);
    const runs = new Map<string, number>();
    const failOnce = new Set<string>();
    recordHandled(app, schema, runs, () => undefined);
    app.receiver.on('video.completed', ({ event: e }) => {
      if (failOnce.has(e.id)) return;
      failOnce.add(e.id);
      throw new Error('first try fails');
    });
    const worker = app.worker({ pollIntervalMs: 60_000, backoff: { baseMs: 50, maxMs: 100 } });
    await worker.start();
    const deliveries = videoDeliveries(5, 4, 'G-PGLITE');
    for (const d of deliveries) expect((await app.send(d)).status).toBe(200);
    await until(async () => (await app.inbox.stats()).done === deliveries.length, 15_000);
    await worker.stop();
    expect(await count(pglite, schema, 'handled')).toBe(deliveries.length);
    expect(worker.counts).toMatchObject({ processed: deliveries.length, retry: 5 });
  }, 30_000);
});
