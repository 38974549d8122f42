import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fixture } from '../../../test/helpers/deliveries';
import { count, inboxInstances, until } from './helpers/inbox-setup';
import { startPgFixture, type PgFixture } from './helpers/pg-pools';

// Inbox mode when things break: a worker killed mid-handler, and PostgreSQL going away.
let pg: PgFixture;

beforeAll(async () => {
  pg = await startPgFixture(1);
}, 60_000);
afterAll(() => pg?.close(), 30_000);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// The worker of test/helpers/inbox-worker-child.ts in a process of its own; resolves once its
// handler printed "started <event id>".
function startChildWorker(schema: string, leaseMs: number): { child: ChildProcess; started: Promise<string> } {
  const helpers = join(__dirname, 'helpers');
  // -e: a .ts entry under "type": "module" would go to the ESM loader, which the hook does not reach.
  const entry = `require(${JSON.stringify(join(helpers, 'inbox-worker-child.ts'))})`;
  const child = spawn(process.execPath, ['-r', join(helpers, 'register-ts.cjs'), '-e', entry], {
    env: { ...process.env, DATABASE_URL: pg.server.url, SCHEMA: schema, LEASE_MS: String(leaseMs) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const started = new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      log += chunk.toString();
      const match = /started (\S+)/.exec(log);
      if (match) resolve(match[1]!);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`child worker exited (${code}) before its handler started: ${log}`)));
  });
  return { child, started };
}

describe('inbox recovery', () => {
  it('processes an event exactly once after its worker is SIGKILLed mid-handler (the lease expires)', async () => {
    const { schema, instances } = await inboxInstances([pg.pools[0]!]);
    const app = instances[0]!;
    await pg.pools[0]!.query(`create table "${schema}".handled (id serial primary key, event_id text not null)`);
    app.receiver.onAny(async ({ event, tx }) => {
      await (tx as (typeof pg.pools)[0]).query(`insert into "${schema}".handled (event_id) values ($1)`, [event.id]);
    });
    expect((await app.send(fixture('video.completed.json'))).status).toBe(200);
    const leaseMs = 1_500;
    const { child, started } = startChildWorker(schema, leaseMs);
    const eventId = await started;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    const killedAt = Date.now();
    expect(await app.inbox.stats()).toMatchObject({ processing: 1, done: 0 });
    const worker = app.worker();
    expect(await worker.drain()).toMatchObject({ processed: 0 }); // still leased
    await sleep(Math.max(0, leaseMs + 100 - (Date.now() - killedAt)));
    expect(await worker.drain()).toMatchObject({ processed: 1 });
    const [row] = await app.inbox.list();
    expect(row).toMatchObject({ eventId, status: 'done', attempts: 1 });
    expect(row!.lastError).toContain('lease expired');
    expect(await count(pg.pools[0]!, schema, 'handled')).toBe(1); // the killed attempt rolled back
    expect(await count(pg.pools[0]!, schema, 'processed_events', "state = 'done'")).toBe(1);
  }, 30_000);

  it('answers 503 while PostgreSQL is down (nothing acknowledged), and the worker recovers after the restart', async () => {
    const { instances } = await inboxInstances([pg.pools[0]!]);
    const app = instances[0]!;
    let handled = 0;
    app.receiver.onAny(() => void handled++);
    const worker = app.worker({ pollIntervalMs: 50 });
    await worker.start();
    await pg.server.stop();
    try {
      const down = await app.send(fixture('video.completed.json'));
      expect(down.status).toBe(503);
      expect(down.json).toMatchObject({ error: 'store_unavailable' });
      await sleep(300); // the worker's claims fail meanwhile
    } finally {
      await pg.server.start();
    }
    let res = await app.send(fixture('video.completed.json'));
    for (let i = 0; i < 50 && res.status !== 200; i++) {
      await sleep(100);
      res = await app.send(fixture('video.completed.json'));
    }
    expect(res.json).toMatchObject({ queued: true });
    await until(async () => (await app.inbox.stats()).done === 1, 15_000);
    expect(handled).toBe(1);
    expect(await worker.stop()).toEqual({ abandoned: 0, released: 0 });
  }, 45_000);
});
