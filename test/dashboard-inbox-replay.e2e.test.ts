import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { createDelivery, signDelivery } from '@ai-stats-webhooks/testing';
import { startExample, type RunningApp } from './helpers/example-app';
import { postgresBinDir, startPostgresServer, type PostgresServer } from './helpers/postgres-server';

// The dashboard's Replay route of examples/express, POST /api/inbox/:eventId/replay, through HTTP
// against the real app in PROCESSING=inbox on a PostgreSQL server: 404 for an event id the inbox
// does not hold, 409 `not_replayable` while the event is still in line (pending after a failed
// attempt, or processing while its handler runs), 200 once it is done. The handler is made to
// fail or to be slow from the outside, by a trigger on the events table it writes to.

const ADMIN_TOKEN = 'adm_inbox_replay_8a4c2e61d9f0';
const SECRET = 'whsec_dashboard_replay_test_2c9e';
const SCHEMA = 'ai_stats_webhooks';
const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

let pg: PostgresServer;
let app: RunningApp;
let url: string;

/** Runs SQL on the test database with psql; returns its output. */
const sql = (statement: string, on = url): string => {
  const { port, pathname } = new URL(on);
  const args = ['-h', '127.0.0.1', '-p', port, '-U', 'postgres', '-d', pathname.slice(1), '-v', 'ON_ERROR_STOP=1'];
  const run = spawnSync(join(postgresBinDir(), 'psql'), [...args, '-Atc', statement], {
    encoding: 'utf8',
    timeout: 10_000,
  });
  if (run.status !== 0) throw new Error(`psql: ${statement}: ${run.stderr}`);
  return run.stdout.trim();
};

// While public.handler_fault holds 'fail', the handler's insert into the events table throws;
// while it holds 'slow', that insert (in the handler's transaction) takes 4 s.
const installHandlerFaults = () =>
  sql(`create table public.handler_fault (kind text primary key);
     create function public.handler_fault() returns trigger language plpgsql as $$
     begin
       if exists (select 1 from public.handler_fault where kind = 'fail') then
         raise exception 'test: handler failure for %', new.job_id;
       end if;
       if exists (select 1 from public.handler_fault where kind = 'slow') then perform pg_sleep(4); end if;
       return new;
     end $$;
     create trigger handler_fault before insert on ${SCHEMA}.events for each row execute function public.handler_fault();`);
const setFault = (kind: 'fail' | 'slow' | null) =>
  sql(`delete from public.handler_fault; ${kind ? `insert into public.handler_fault values ('${kind}');` : ''}`);

/** The inbox row of an event: `status|attempts`, or '' when there is none. */
const row = (eventId: string) =>
  sql(`select status || '|' || attempts from ${SCHEMA}.inbox where event_id = '${eventId}'`);

// Polls the event's inbox row every 50 ms (at most 20 s) until `accept` takes it; returns it.
const waitForRow = async (eventId: string, accept: (status: string, attempts: number) => boolean) => {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const [status = '', attempts = '0'] = row(eventId).split('|');
    if (accept(status, Number(attempts))) return { status, attempts: Number(attempts) };
    if (Date.now() > deadline) throw new Error(`event ${eventId}: still ${status || 'absent'} after 20 s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

/** Sends one signed delivery to the app; expects the inbox's 200 acknowledgement. */
const deliver = async (): Promise<string> => {
  const body = createDelivery({ type: 'video.completed' });
  const delivery = await signDelivery({ secret: SECRET, body });
  const ack = await fetch(`${app.url}/webhooks/ai-stats`, {
    method: 'POST',
    headers: delivery.headers,
    body: delivery.body,
  });
  expect(ack.status).toBe(200);
  return body.id;
};

const replay = async (eventId: string) => {
  const res = await fetch(`${app.url}/api/inbox/${encodeURIComponent(eventId)}/replay`, {
    method: 'POST',
    headers: admin,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

beforeAll(async () => {
  pg = await startPostgresServer();
  sql('create database dash_replay', pg.url);
  url = pg.url.replace(/\/postgres$/, '/dash_replay');
  app = await startExample('express', {
    AI_STATS_WEBHOOK_SECRET: SECRET,
    DATABASE_URL: url,
    PROCESSING: 'inbox',
    ADMIN_TOKEN,
  });
  installHandlerFaults();
}, 90_000);

afterAll(async () => {
  await app?.stop();
  await pg?.destroy();
});

it('answers 404 not_found for an event id the inbox does not hold', async () => {
  for (const id of ['evt_unknown', 'evt_01KA7Q3M9V2X5C8B4N6D1F0H7J']) {
    const { status, body } = await replay(id);
    expect(status).toBe(404);
    expect(body).toEqual({ error: 'not_found', message: 'No event with that id is in the inbox.' });
  }
  expect((await fetch(`${app.url}/api/inbox/evt_unknown/replay`, { method: 'POST' })).status).toBe(401);
});

it('answers 403 to a browser request from another site, even with the credentials, and replays nothing', async () => {
  for (const site of ['cross-site', 'same-site']) {
    const res = await fetch(`${app.url}/api/inbox/evt_unknown/replay`, {
      method: 'POST',
      headers: { ...admin, 'sec-fetch-site': site },
    });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: 'forbidden', message: expect.stringContaining(site) });
  }
  const sameOrigin = await fetch(`${app.url}/api/inbox/evt_unknown/replay`, {
    method: 'POST',
    headers: { ...admin, 'sec-fetch-site': 'same-origin' },
  });
  expect(sameOrigin.status).toBe(404); // reached the route
});

it('answers 409 not_replayable while the event is pending after a failed attempt, and changes nothing', async () => {
  setFault('fail');
  const eventId = await deliver();
  // The first attempt fails; the row waits for its retry (5–10 s later) as pending.
  const before = await waitForRow(eventId, (status, attempts) => status === 'pending' && attempts >= 1);
  const { status, body } = await replay(eventId);
  expect(status).toBe(409);
  expect(body).toEqual({
    error: 'not_replayable',
    message: 'Expected a dead (or done) event, found one that is pending: it is still in line, nothing to replay.',
  });
  expect(row(eventId)).toBe(`pending|${before.attempts}`); // its attempts were not reset
  const inbox = (await fetch(`${app.url}/api/inbox`, { headers: admin }).then((r) => r.json())) as {
    stats: { retrying: number; dead: number };
  };
  expect(inbox.stats.retrying).toBeGreaterThanOrEqual(1);
  expect(inbox.stats.dead).toBe(0);
}, 60_000);

it('answers 409 while the event is processing, and 200 once it is done', async () => {
  setFault('slow');
  const eventId = await deliver();
  await waitForRow(eventId, (status) => status === 'processing');
  const busy = await replay(eventId);
  expect(busy.status).toBe(409);
  expect(busy.body).toMatchObject({
    error: 'not_replayable',
    message: expect.stringMatching(/found one that is processing/),
  });
  setFault(null);
  await waitForRow(eventId, (status) => status === 'done');
  const processedAt = () => sql(`select processed_at from ${SCHEMA}.inbox where event_id = '${eventId}'`);
  const firstRun = processedAt();
  const done = await replay(eventId);
  expect(done.status).toBe(200);
  expect(done.body).toEqual({ replayed: true, previous_status: 'done' });
  // Back in line, and run again.
  await waitForRow(eventId, (status) => status === 'done' && processedAt() !== firstRun);
}, 60_000);
