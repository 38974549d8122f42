import { join } from 'node:path';
import { createPostgresInbox, fromPgPool, type PostgresInbox } from '@ai-stats-webhooks/postgres';
import { createMockGateway, type DeliveryRecord, type MockGateway } from '@ai-stats-webhooks/testing';
import { ROOT, freePort, startExample, type RunningApp } from './helpers/example-app';
import { startFaultyVideoApi, type FaultyVideoApi } from './helpers/inbox-faulty-api';
import { openTestPgPool, type TestPgPool } from './helpers/inbox-pg-pool';
import { startPostgresServer, type PostgresServer } from './helpers/postgres-server';
import { startRoundRobinProxy } from './helpers/round-robin-proxy';

// The inbox-mode chaos run (issue 11 §4): two examples/express instances in PROCESSING=inbox on one
// PostgreSQL server, behind a round-robin balancer, fed by the mock gateway with duplicates (half
// concurrent, half sequential), reordering, 10 % handler faults, a few "poisoned" jobs whose
// handler always fails, and 5xx from the Video API during reconciliation, over more than 1,000
// events. Then the handler is "fixed" and the dead letters are replayed. Side effects are counted
// in the database: the handler inserts one row per run through context.tx (no unique constraint,
// so a second run of an event would show as a second row).

const INSTANCE = `node ${join(ROOT, 'test/helpers/faulty-inbox-instance.mjs')}`;
const SECRET = 'whsec_chaos_inbox_secret';
const JOBS = 130;
const POISON_MODEL = 'mock/video-poison';
const POISONED_AT = [7, 64, 93]; // job 93 also fails at the gateway
const MAX_ATTEMPTS = 6; // > the most injected failures one event can get (2 handler faults + 2 API 5xx)
const KIT = 'ai_stats_webhooks';
const SIDE_EFFECTS = 'chaos.side_effects';
const HEALED = 'chaos.healed';

let pg: PostgresServer;
let pool: TestPgPool;
let inbox: PostgresInbox;
let gateway: MockGateway;
let api: FaultyVideoApi;
let proxy: { url: string; close: () => Promise<void> };
let instances: RunningApp[] = [];
const poolErrors: string[] = [];

beforeAll(async () => {
  pg = await startPostgresServer();
  pool = openTestPgPool(pg.url, poolErrors);
  await pool.query(`create schema chaos`);
  await pool.query(`create table ${SIDE_EFFECTS} (
    id bigint generated always as identity primary key, event_id text not null, job_id text not null,
    type text not null, instance text not null, job_status text not null)`);
  await pool.query(`create table ${HEALED} (at timestamptz not null default now())`);
  gateway = await createMockGateway({
    secret: SECRET,
    timeScale: 150,
    seed: 110411,
    faults: { duplicate: 0.2, duplicateMode: 'concurrent', reorder: 0.2, reorderDelayMs: 120 },
  });
  api = await startFaultyVideoApi({ target: gateway.url, rate: 0.35, maxFaultsPerJob: 2, seed: 7 });
  const ports = [await freePort(), await freePort()];
  proxy = await startRoundRobinProxy(ports);
  instances = await Promise.all(
    ports.map((port, i) =>
      startExample(
        'express',
        {
          AI_STATS_WEBHOOK_SECRET: SECRET,
          AI_STATS_API_KEY: gateway.apiKey,
          AI_STATS_BASE_URL: api.baseUrl,
          DATABASE_URL: pg.url,
          PROCESSING: 'inbox',
          POLL_INTERVAL_MS: '0', // no poller: every final state comes from the inbox
          INSTANCE_NAME: `instance-${i + 1}`,
          SIDE_EFFECTS_TABLE: SIDE_EFFECTS,
          HANDLER_FAULT_RATE: '0.1',
          POISON_MODEL,
          HEALED_TABLE: HEALED,
          INBOX_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
          INBOX_BACKOFF_MS: '200',
          INBOX_MAX_BACKOFF_MS: '1000',
        },
        { command: INSTANCE, port, timeoutMs: 90_000 },
      ),
    ),
  );
  inbox = createPostgresInbox({ db: fromPgPool(pool) });
}, 150_000);

afterAll(async () => {
  await proxy?.close();
  await Promise.all(instances.map((i) => i.stop()));
  await api?.close();
  await gateway?.close();
  await pool?.end();
  await pg?.destroy();
});

// The gateway's internal status words as the job store spells them.
const PUBLIC_STATUS: Record<string, string> = { in_progress: 'processing' };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** True when `work` settled within `ms`, false otherwise. */
async function within(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  const result = await Promise.race([work.then(() => true as const), late]);
  clearTimeout(timer);
  return result;
}

/** True once no inbox row is pending (new or waiting for a retry) or processing; false after `ms`. */
async function inboxSettled(ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    const stats = await inbox.stats();
    if (stats.pending === 0 && stats.processing === 0) return true;
    if (Date.now() > deadline) return false;
    await sleep(200);
  }
}

interface Snapshot {
  /** Inbox rows by event id. */
  readonly rows: Map<string, { jobId: string; status: string; attempts: number }>;
  /** Side-effect rows by event id (a handler run that committed). */
  readonly effects: Map<string, number>;
  readonly effectsByInstance: Record<string, number>;
  /** Job status in the kit's job store, by job id. */
  readonly jobs: Map<string, string>;
}

async function snapshot(): Promise<Snapshot> {
  type Row = { event_id: string; job_id: string; status: string; attempts: number };
  const rows = await pool.query<Row>(`select event_id, job_id, status, attempts from ${KIT}.inbox`);
  const effects = await pool.query<{ event_id: string; n: number }>(
    `select event_id, count(*)::int as n from ${SIDE_EFFECTS} group by event_id`,
  );
  const byInstance = await pool.query<{ instance: string; n: number }>(
    `select instance, count(*)::int as n from ${SIDE_EFFECTS} group by instance order by instance`,
  );
  const jobs = await pool.query<{ id: string; status: string }>(`select id, status from ${KIT}.jobs`);
  return {
    rows: new Map(rows.rows.map((r) => [r.event_id, { jobId: r.job_id, status: r.status, attempts: r.attempts }])),
    effects: new Map(effects.rows.map((r) => [r.event_id, r.n])),
    effectsByInstance: Object.fromEntries(byInstance.rows.map((r) => [r.instance, r.n])),
    jobs: new Map(jobs.rows.map((r) => [r.id, r.status])),
  };
}

const sorted = (values: Iterable<string>) => [...values].sort();
const withStatus = (s: Snapshot, status: string) =>
  sorted([...s.rows].filter(([, row]) => row.status === status).map(([id]) => id));

interface InstanceCounts {
  readonly name: string;
  /** Handler runs, and those that threw an injected fault or were poisoned. */
  readonly runs: number;
  readonly injected: number;
  readonly poisoned: number;
  /** The worker's outcomes (processed, duplicate, retry, dead, busy, lost, unrecorded). */
  readonly worker: Record<string, number>;
  /** The webhook answers the instance sent (acknowledgements), and the slowest in ms. */
  readonly acks: { readonly count: number; readonly maxMs: number };
}

async function instanceCounts(app: RunningApp): Promise<InstanceCounts> {
  return (await (await fetch(`${app.url}/chaos/counts`)).json()) as InstanceCounts;
}

// Creates the jobs, one every 20 ms, switching the duplicates from concurrent to sequential halfway.
async function createJobs(): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < JOBS; i++) {
    if (i === Math.floor(JOBS / 2)) gateway.setFaults({ duplicateMode: 'sequential' });
    const job = gateway.createVideo({
      model: POISONED_AT.includes(i) ? POISON_MODEL : 'mock/video-1',
      prompt: i % 10 === 3 ? `job ${i}: please fail` : `job ${i}`,
      webhook: { url: `${proxy.url}/webhooks/ai-stats` },
    });
    ids.push(job.id);
    await sleep(20);
  }
  return ids;
}

it('inbox mode on two instances: every acknowledged event processed exactly once, dead letters only for the poisoned handler, true final states', async () => {
  const started = Date.now();
  const ids = await createJobs();
  const idle = await within(gateway.idle(), 90_000);
  const delivered = Date.now();
  const settled = await inboxSettled(90_000);
  const drained = Date.now();
  const first = await snapshot();

  // The handler is fixed: the operator replays the dead letters.
  await pool.query(`insert into ${HEALED} default values`);
  const replayed = await inbox.retryDead();
  const settledAgain = await inboxSettled(60_000);
  const final = await snapshot();
  const listed = ((await (await fetch(`${proxy.url}/api/events`)).json()) as { data: { event_id: string }[] }).data.map(
    (e) => e.event_id,
  );
  const finished = Date.now();
  const perInstance = await Promise.all(instances.map(instanceCounts));
  await Promise.all(instances.map((i) => i.stop()));
  const total = (pick: (c: InstanceCounts) => number) => perInstance.reduce((n, c) => n + pick(c), 0);

  const deliveries: readonly DeliveryRecord[] = gateway.deliveries();
  const eventJob = new Map(deliveries.map((d) => [d.eventId, d.jobId]));
  const acked = new Set(deliveries.filter((d) => d.ok).map((d) => d.eventId));
  const stored = sorted(first.rows.keys());
  const poisoned = new Set(POISONED_AT.map((i) => ids[i]!));
  const truth = new Map(gateway.jobs().map((j) => [j.id, PUBLIC_STATUS[j.status] ?? j.status]));
  const wrongState = (s: Snapshot, jobIds: string[]) =>
    jobIds.filter((id) => s.jobs.get(id) !== truth.get(id)).map((id) => `${id}: ${s.jobs.get(id)} ≠ ${truth.get(id)}`);
  const deadRows = [...first.rows.values()].filter((r) => r.status === 'dead');
  const sum = (s: Snapshot) => [...s.rows.values()].reduce((n, r) => n + r.attempts, 0);
  const processed = [...final.effects.values()].reduce((n, c) => n + c, 0);

  const counts = {
    jobs: JOBS,
    poisonedJobs: poisoned.size,
    // Jobs the mock gateway left unfinished (a lifecycle step it skipped when its timers ran late).
    unfinishedAtGateway: [...truth.values()].filter((s) => s !== 'completed' && s !== 'failed').length,
    eventsSent: eventJob.size,
    deliveries: deliveries.length,
    twins: deliveries.filter((d) => d.fault === 'duplicate').length,
    reordered: deliveries.filter((d) => d.fault === 'reordered').length,
    acks: deliveries.filter((d) => d.ok).length,
    ackedAsDuplicate: deliveries.filter((d) => d.ok && d.responseBodyPreview?.includes('"duplicate":true')).length,
    // Attempts the sender gave up on after its 10 s timeout although the instance answered (a late
    // 2xx counts as a failure: on a loaded host the answer reaches the sender late); it retries them
    // and the inbox answers "duplicate".
    senderTimeouts: deliveries.filter((d) => d.responseStatus === null).length,
    otherNotAcked: deliveries.filter((d) => !d.ok && d.responseStatus !== null).length,
    instanceAnswers: total((c) => c.acks.count),
    slowestInstanceAnswerMs: Math.max(0, ...perInstance.map((c) => c.acks.maxMs)),
    eventsAcked: acked.size,
    eventsNeverAcked: eventJob.size - acked.size,
    inboxRows: stored.length,
    processed,
    processedByInstance: final.effectsByInstance,
    retried: [...first.rows.values()].filter((r) => r.attempts > 0).length,
    // Failed attempts: the dead letters' (reset by the replay) plus what the rows hold at the end.
    failedAttempts: sum(final) + deadRows.reduce((n, r) => n + r.attempts, 0),
    deadLetters: withStatus(first, 'dead').length,
    replayed,
    handlerFaultsInjected: total((c) => c.injected),
    poisonedRuns: total((c) => c.poisoned),
    workerOutcomes: Object.fromEntries(
      Object.keys(perInstance[0]!.worker).map((key) => [key, total((c) => c.worker[key] ?? 0)]),
    ),
    apiReads: api.counts.reads,
    api5xxAnswered: api.counts.faults,
    // Failed attempts that no injected fault explains (a lost connection, a serialization failure …).
    otherFailures: 0,
    seconds: {
      deliver: (delivered - started) / 1000,
      drain: (drained - delivered) / 1000,
      replay: (finished - drained) / 1000,
      total: (finished - started) / 1000,
    },
  };
  counts.otherFailures =
    counts.failedAttempts - counts.handlerFaultsInjected - counts.api5xxAnswered - counts.poisonedRuns;
  console.log(`chaos-inbox run: ${JSON.stringify(counts)}`);

  expect({ idle, settled, settledAgain, poolErrors }).toEqual({
    idle: true,
    settled: true,
    settledAgain: true,
    poolErrors: [],
  });
  expect(eventJob.size).toBeGreaterThanOrEqual(1000);
  // Every answer an instance gave was a 200 (new, or duplicate of a stored event, concurrent twins included).
  expect(counts.otherNotAcked).toBe(0);
  // Nothing lost: every acknowledged event is in the inbox, and the inbox holds only events that
  // were sent (an event whose every 2xx came too late for the sender may be there as well).
  expect(sorted(acked).filter((id) => !first.rows.has(id))).toEqual([]);
  expect(stored.filter((id) => !eventJob.has(id))).toEqual([]);
  // Before the replay: dead letters are exactly the stored events of the poisoned jobs, each
  // after MAX_ATTEMPTS failures; everything else is done, with exactly one side effect.
  const expectedDead = stored.filter((id) => poisoned.has(eventJob.get(id)!));
  expect(expectedDead.length).toBeGreaterThan(0);
  expect(withStatus(first, 'dead')).toEqual(expectedDead);
  expect(deadRows.filter((r) => r.attempts !== MAX_ATTEMPTS)).toEqual([]);
  expect(withStatus(first, 'done')).toEqual(stored.filter((id) => !poisoned.has(eventJob.get(id)!)));
  expect(sorted(first.effects.keys())).toEqual(withStatus(first, 'done')); // a failed run left no trace
  expect([...first.effects].filter(([, n]) => n !== 1)).toEqual([]);
  expect(
    wrongState(
      first,
      ids.filter((id) => !poisoned.has(id)),
    ),
  ).toEqual([]);
  expect([...poisoned].filter((id) => first.jobs.has(id))).toEqual([]); // rolled back with the handler
  // After the replay: every stored event processed exactly once, listed once, every job true.
  expect(replayed).toBe(expectedDead.length);
  expect(sorted(final.rows.keys())).toEqual(stored);
  expect(withStatus(final, 'done')).toEqual(stored);
  expect(sorted(final.effects.keys())).toEqual(stored);
  expect([...final.effects].filter(([, n]) => n !== 1)).toEqual([]);
  expect(sorted(listed)).toEqual(stored);
  expect(wrongState(final, ids)).toEqual([]);
  // The faults happened: handler faults and API 5xx were retried, and both instances' workers ran events.
  expect(perInstance.map((c) => c.name)).toEqual(['instance-1', 'instance-2']);
  expect(counts.handlerFaultsInjected).toBeGreaterThan(0);
  expect(counts.api5xxAnswered).toBeGreaterThan(0);
  // Every injected throw and every 5xx cost a failed attempt: none was swallowed and committed.
  expect(counts.otherFailures).toBeGreaterThanOrEqual(0);
  expect(counts.retried).toBeGreaterThan(expectedDead.length);
  expect(Object.keys(final.effectsByInstance)).toEqual(['instance-1', 'instance-2']);
}, 300_000);
