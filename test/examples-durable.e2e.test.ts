import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SECRET, event, sign, type SignedDelivery } from './helpers/deliveries';
import { runExample, startExample, type RunningApp } from './helpers/example-app';
import { postgresBinDir, startPostgresServer, type PostgresServer } from './helpers/postgres-server';

// The examples keep what they answered 2xx: jobs, the event list and the processed ids survive a
// SIGKILL and a restart, in the embedded default (PGlite in DATA_DIR) and on a PostgreSQL server
// (DATABASE_URL). Real processes started by their `start` scripts (examples/nextjs as built).

let pg: PostgresServer;
const running: RunningApp[] = [];
const dataDirs: string[] = [];

beforeAll(async () => {
  pg = await startPostgresServer();
}, 60_000);
afterEach(async () => {
  await Promise.all(running.splice(0).map((app) => app.stop()));
});
afterAll(async () => {
  await pg?.destroy();
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
});

const start = async (name: string, env: Record<string, string>): Promise<RunningApp> => {
  const app = await startExample(
    name,
    { AI_STATS_WEBHOOK_SECRET: SECRET, POLL_INTERVAL_MS: '0', ...env },
    { timeoutMs: 90_000 },
  );
  running.push(app);
  return app;
};
const kill = async (app: RunningApp) => {
  await app.kill();
  running.splice(running.indexOf(app), 1);
};
const tempDataDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'ai-stats-durable-'));
  dataDirs.push(dir);
  return dir;
};
/** A database of its own on the test server, as a DATABASE_URL. */
const database = (name: string): string => {
  const psql = spawnSync(
    join(postgresBinDir(), 'psql'),
    ['-h', '127.0.0.1', '-p', String(pg.port), '-U', 'postgres', '-c', `create database ${name}`],
    { encoding: 'utf8', timeout: 10_000 },
  );
  if (psql.status !== 0) throw new Error(`create database ${name}: ${psql.stderr}`);
  return pg.url.replace(/\/postgres$/, `/${name}`);
};

const post = (app: RunningApp, d: SignedDelivery) =>
  fetch(`${app.url}/webhooks/ai-stats`, { method: 'POST', headers: d.headers, body: d.body }).then(async (r) => ({
    status: r.status,
    body: await r.text(),
  }));
const listed = async (app: RunningApp) =>
  ((await (await fetch(`${app.url}/api/events`)).json()) as { data: { event_id: string }[] }).data.map(
    (e) => e.event_id,
  );
const job = async (app: RunningApp, id: string) =>
  (await fetch(`${app.url}/api/jobs/${id}`)).json() as Promise<{ status: string; progress: number }>;

/** Three events of two jobs (one completed, one still at 50 %), as the sender's `attempt`. */
const story = (prefix: string, attempt = 1) => [
  event('video.progress.50.json', { jobId: `${prefix}-A`, attempt }),
  event('video.completed.json', { jobId: `${prefix}-A`, attempt }),
  event('video.progress.50.json', { jobId: `${prefix}-B`, attempt }),
];

/** Delivers the story, SIGKILLs the app, restarts it on the same state and checks all of it is there. */
async function survivesKill(name: string, env: Record<string, string>, prefix: string): Promise<void> {
  const events = story(prefix);
  const ids = events.map((e) => e.body.id as string);
  const first = await start(name, env);
  for (const e of events) expect((await post(first, sign(e))).status).toBe(200);
  expect((await listed(first)).filter((id) => ids.includes(id))).toEqual(ids);
  await kill(first);

  const second = await start(name, env);
  expect(await job(second, `${prefix}-A`)).toMatchObject({ status: 'completed', progress: 100 });
  expect(await job(second, `${prefix}-B`)).toMatchObject({ status: 'processing', progress: 50 });
  expect((await listed(second)).filter((id) => ids.includes(id))).toEqual(ids);
  // The processed ids survived too: the sender's retries are duplicates, listed once.
  for (const retry of story(prefix, 2)) {
    expect(await post(second, sign(retry))).toMatchObject({
      status: 200,
      body: expect.stringContaining('"duplicate":true'),
    });
  }
  expect((await listed(second)).filter((id) => ids.includes(id))).toEqual(ids);
}

describe.each(['express', 'nextjs'])('examples/%s keeps its state', (name) => {
  it('in DATA_DIR (PGlite, the default) across kill -9 and a restart', async () => {
    await survivesKill(name, { DATA_DIR: tempDataDir() }, `G-PGLITE-${name.toUpperCase()}`);
  }, 240_000);

  it('in PostgreSQL (DATABASE_URL) across kill -9 and a restart', async () => {
    await survivesKill(name, { DATABASE_URL: database(`durable_${name}`) }, `G-PG-${name.toUpperCase()}`);
  }, 180_000);

  it('answers 503 and acknowledges nothing while PostgreSQL is stopped, then recovers', async () => {
    const app = await start(name, { DATABASE_URL: database(`outage_${name}`) });
    const d = sign(event('video.completed.json', { jobId: `G-OUTAGE-${name.toUpperCase()}` }));
    const id = JSON.parse(d.body).id as string;
    await pg.stop();
    try {
      const down = await post(app, d);
      expect(down.status).toBe(503);
      expect(down.body).toMatch(/store_unavailable/);
    } finally {
      await pg.start();
    }
    let answer = await post(app, d);
    for (let i = 0; i < 50 && answer.status !== 200; i++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      answer = await post(app, d);
    }
    // Processed now, for the first time: nothing was acknowledged while the server was down.
    expect(answer.status).toBe(200);
    expect(answer.body).not.toMatch(/duplicate/);
    expect((await listed(app)).filter((e) => e === id)).toEqual([id]);
    expect((await post(app, d)).body).toMatch(/"duplicate":true/);
  }, 120_000);

  it('PROCESSING=inbox: acknowledges once stored, and what it acknowledged survives kill -9', async () => {
    const env = { DATA_DIR: tempDataDir(), PROCESSING: 'inbox' };
    const prefix = `G-INBOX-${name.toUpperCase()}`;
    const ids = story(prefix).map((e) => e.body.id as string);
    const first = await start(name, env);
    for (const e of story(prefix))
      expect(await post(first, sign(e))).toMatchObject({ status: 200, body: expect.stringContaining('"queued":true') });
    await kill(first); // at once: the worker may not have run every handler yet

    const second = await start(name, env);
    const deadline = Date.now() + 60_000; // a row the killed worker held waits for its 30 s lease
    while ((await listed(second)).length < ids.length && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 250));
    expect([...(await listed(second))].sort()).toEqual([...ids].sort());
    expect(await job(second, `${prefix}-A`)).toMatchObject({ status: 'completed', progress: 100 });
    for (const retry of story(prefix, 2)) expect((await post(second, sign(retry))).body).toMatch(/"duplicate":true/);
    expect((await listed(second)).length).toBe(ids.length);
  }, 180_000);

  it('refuses conflicting store settings, naming them', async () => {
    const conflict = await runExample(name, {
      AI_STATS_WEBHOOK_SECRET: SECRET,
      DATABASE_URL: 'postgres://app:hunter2@127.0.0.1:5432/app',
      STORE: 'memory',
    });
    expect(conflict.code).not.toBe(0);
    expect(conflict.output).toMatch(/Conflicting store settings: DATABASE_URL and STORE/);
    expect(conflict.output).not.toContain('hunter2');
    const unknown = await runExample(name, { AI_STATS_WEBHOOK_SECRET: SECRET, STORE: 'disk' });
    expect(unknown.code).not.toBe(0);
    expect(unknown.output).toMatch(/STORE must be "memory"/);
    const inbox = await runExample(name, { AI_STATS_WEBHOOK_SECRET: SECRET, STORE: 'memory', PROCESSING: 'inbox' });
    expect(inbox.code).not.toBe(0);
    expect(inbox.output).toMatch(/Conflicting settings: PROCESSING=inbox and STORE=memory/);
  }, 60_000);
});

it('examples/express: three instances on one PostgreSQL server list each concurrently duplicated event once', async () => {
  const url = database('shared_express');
  const instances = await Promise.all([0, 1, 2].map(() => start('express', { DATABASE_URL: url })));
  const deliveries = Array.from({ length: 20 }, (_, i) =>
    sign(event(i % 2 ? 'video.completed.json' : 'video.progress.50.json', { jobId: `G-SHARED${i}` })),
  );
  const answers = await Promise.all(
    deliveries.flatMap((d) => instances.flatMap((instance) => [post(instance, d), post(instance, d)])),
  );
  expect(answers.filter((a) => a.status !== 200 && a.status !== 409)).toEqual([]);
  const ids = deliveries.map((d) => JSON.parse(d.body).id as string);
  for (const instance of instances) expect([...(await listed(instance))].sort()).toEqual([...ids].sort());
  const again = await Promise.all(deliveries.map((d, i) => post(instances[i % 3]!, d)));
  expect(again.every((a) => a.status === 200 && a.body.includes('"duplicate":true'))).toBe(true);
  expect((await listed(instances[1]!)).length).toBe(ids.length);
}, 120_000);

it('examples/express refuses a second process on a DATA_DIR in use, naming the owner', async () => {
  const dir = tempDataDir();
  await start('express', { DATA_DIR: dir });
  const second = await runExample('express', { AI_STATS_WEBHOOK_SECRET: SECRET, DATA_DIR: dir });
  expect(second.code).not.toBe(0);
  expect(second.output).toMatch(/in use by process \d+/);
}, 120_000);
