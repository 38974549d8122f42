// @ts-check
// examples/express as it is built, in inbox mode (PROCESSING=inbox, DATABASE_URL): its createApp
// acknowledges deliveries into the inbox, runs its own handler (the event log, through context.tx)
// in its worker and serves /api/*. The worker gets a short schedule (the default retries after
// 5–10 s and dead-letters after 10 failures, 45–85 min, which no test can wait for), and one more
// handler, registered after the app's own (a throw rolls back the whole event), does what only
// tests need:
//   INSTANCE_NAME          written with every side effect (which instance's worker ran the event)
//   SIDE_EFFECTS_TABLE     a table the handler inserts one row per run into, through context.tx
//   HANDLER_FAULT_RATE     probability that the handler throws after its writes (rolled back)
//   HANDLER_FAULTS_PER_EVENT  at most this many injected throws per event id in this process (default 1)
//   POISON_MODEL           the handler always throws for events whose data.model is this …
//   HEALED_TABLE           … until this table has a row (the "fixed deployment"), read through context.tx
//   INBOX_CONCURRENCY, INBOX_MAX_ATTEMPTS, INBOX_BACKOFF_MS, INBOX_MAX_BACKOFF_MS, INBOX_POLL_MS
// GET /chaos/counts answers what it counted (handler runs, injected faults, acknowledgements, the
// worker's outcomes). On SIGTERM it stops the worker, closes the database and exits.
import { createServer } from 'node:http';
import { performance } from 'node:perf_hooks';
import { createApp } from '../../examples/express/dist/app.js';
import { readConfig } from '../../examples/express/dist/config.js';
import { createStores } from '../../examples/express/dist/stores.js';

const env = process.env;
const config = readConfig();
if (config.processing !== 'inbox' || config.store.kind !== 'postgres' || !config.apiKey) {
  throw new Error('faulty-inbox-instance: expected PROCESSING=inbox, DATABASE_URL and AI_STATS_API_KEY.');
}
const name = env.INSTANCE_NAME ?? 'instance';
const sideEffects = env.SIDE_EFFECTS_TABLE ?? '';
const faultRate = Number(env.HANDLER_FAULT_RATE ?? 0);
const faultsPerEvent = Number(env.HANDLER_FAULTS_PER_EVENT ?? 1);
const poisonModel = env.POISON_MODEL;
const healed = env.HEALED_TABLE ?? '';
const number = (/** @type {string} */ key, /** @type {number} */ fallback) => Number(env[key] ?? fallback);

const stores = await createStores(config.store);
if (!stores.transactional || !stores.inbox) throw new Error('faulty-inbox-instance: expected PostgreSQL stores.');
const quiet = { error: (/** @type {string} */ message) => console.error(`[${name}] ${message}`) };
const { app, receiver, worker } = createApp(config, stores, {
  inboxWorker: {
    concurrency: number('INBOX_CONCURRENCY', 4),
    maxAttempts: number('INBOX_MAX_ATTEMPTS', 6),
    backoff: { baseMs: number('INBOX_BACKOFF_MS', 200), maxMs: number('INBOX_MAX_BACKOFF_MS', 1_000) },
    pollIntervalMs: number('INBOX_POLL_MS', 100),
    logger: quiet,
  },
});
if (!worker) throw new Error('faulty-inbox-instance: expected the app to make an inbox worker.');

const counts = { runs: 0, committed: 0, injected: 0, poisoned: 0 };
/** @type {Map<string, number>} */
const injected = new Map();
// After the app's own handler, in the same transaction: a throw here rolls back its event log row too.
receiver.onAny(async ({ event, job, tx }) => {
  counts.runs++;
  const db = /** @type {{ query(text: string, params?: unknown[]): Promise<{ rows: unknown[] }> }} */ (tx);
  if (sideEffects) {
    await db.query(
      `insert into ${sideEffects} (event_id, job_id, type, instance, job_status) values ($1, $2, $3, $4, $5)`,
      [event.id, job.id, event.type, name, job.status],
    );
  }
  if (
    poisonModel &&
    event.data.model === poisonModel &&
    (await db.query(`select 1 from ${healed}`)).rows.length === 0
  ) {
    counts.poisoned++;
    throw new Error(`poisoned job ${job.id}: this handler always fails`);
  }
  const done = injected.get(event.id) ?? 0;
  if (done < faultsPerEvent && Math.random() < faultRate) {
    injected.set(event.id, done + 1);
    counts.injected++;
    throw new Error('injected handler fault');
  }
  counts.committed++; // the handler returned; the commit may still fail
});
await worker.start();
// The app behind a server that times the webhook answers (acknowledgements).
const acks = { count: 0, over1s: 0, maxMs: 0 };
const server = createServer((req, res) => {
  const started = performance.now();
  if (req.url === '/chaos/counts') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ name, ...counts, acks, worker: worker.counts }));
    return;
  }
  if (req.url === '/webhooks/ai-stats') {
    res.once('finish', () => {
      const ms = Math.round(performance.now() - started);
      acks.count++;
      acks.maxMs = Math.max(acks.maxMs, ms);
      if (ms > 1_000) acks.over1s++;
    });
  }
  app(req, res);
});
server.listen(config.port, '127.0.0.1', () => console.log(`listening on http://localhost:${config.port}`));
process.once('SIGTERM', () => {
  server.close();
  void worker
    .stop({ timeoutMs: 3_000 })
    .then(() => stores.close())
    .finally(() => process.exit(0));
});
