import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { event, SECRET, sign } from './helpers/deliveries';
import { startExample, type RunningApp } from './helpers/example-app';
import { ADMIN_TOKEN, startTarget, type ExampleTarget } from './helpers/example-target';
import { postgresBinDir, startPostgresServer, type PostgresServer } from './helpers/postgres-server';
import { startStubApi, type StubApi } from './helpers/stub-api';

// GET /metrics of the examples on Node (issue 12 §2): Prometheus text fed by the receiver's
// onDelivery report, behind ADMIN_TOKEN like the other admin routes; with PROCESSING=inbox, the
// inbox gauges of express and nextjs. examples/fetch on workerd, Deno and Bun: the metrics case
// of test/helpers/contract-cases.ts (example-contract.runtimes.e2e.test.ts).

const TARGETS: ExampleTarget[] = ['express', 'fetch', 'nextjs'].map((example) => ({
  example,
  script: 'start',
  label: `examples/${example}`,
}));

/** The value of one sample line (`name{labels} value`), or undefined when the text has none. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

for (const target of TARGETS) {
  describe(`${target.label}: GET /metrics`, () => {
    let app: RunningApp;

    beforeAll(async () => {
      app = await startTarget(target, {
        AI_STATS_WEBHOOK_SECRET: 'whsec_test_123',
        POLL_INTERVAL_MS: '0',
        HOST: '127.0.0.1',
        STORE: 'memory',
        ADMIN_TOKEN,
      });
    }, 90_000);
    afterAll(async () => {
      await app?.stop();
    });

    const deliver = (d: { headers: Record<string, string>; body: string }) =>
      fetch(`${app.url}/webhooks/ai-stats`, { method: 'POST', headers: d.headers, body: d.body });
    const metrics = (authorization?: string) =>
      fetch(`${app.url}/metrics`, { headers: authorization ? { authorization } : {} });

    it('needs ADMIN_TOKEN: 401 without it, 200 with the Bearer token', async () => {
      const open = await metrics();
      expect(open.status).toBe(401);
      expect(open.headers.get('www-authenticate')).toMatch(/^Basic /);
      expect((await metrics('Bearer wrong-token')).status).toBe(401);
      const res = await metrics(`Bearer ${ADMIN_TOKEN}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    });

    it('counts a processed, a duplicate, a 401 and a retried delivery, and the stored jobs', async () => {
      const completed = event('video.completed.json', { jobId: `G-METRICS-${target.example}` });
      expect((await deliver(sign(completed))).status).toBe(200);
      expect((await deliver(sign(completed))).status).toBe(200); // the same event again: a duplicate
      expect((await deliver(sign(completed, { secret: 'whsec_drifted' }))).status).toBe(401);
      const retried = event('video.failed.attempt2.json', { jobId: `G-METRICS-RETRY-${target.example}` });
      expect(retried.body.delivery.attempt).toBe(2);
      expect((await deliver(sign(retried))).status).toBe(200);

      const res = await metrics(`Bearer ${ADMIN_TOKEN}`);
      expect(res.status).toBe(200);
      const text = await res.text();
      const total = 'ai_stats_webhook_deliveries_total';
      expect(sample(text, `${total}{outcome="processed",type="video.completed"}`)).toBe(1);
      expect(sample(text, `${total}{outcome="duplicate",type="video.completed"}`)).toBe(1);
      expect(sample(text, `${total}{outcome="rejected",type="unknown",code="signature_mismatch"}`)).toBe(1);
      expect(sample(text, `${total}{outcome="processed",type="video.failed"}`)).toBe(1);
      expect(text).toContain(`# TYPE ${total} counter`);
      expect(text).toContain('# TYPE ai_stats_webhook_delivery_duration_seconds histogram');
      expect(sample(text, 'ai_stats_webhook_delivery_duration_seconds_count{outcome="processed"}')).toBe(2);
      expect(sample(text, 'ai_stats_webhook_delivery_duration_seconds_count{outcome="rejected"}')).toBe(1);
      expect(sample(text, 'ai_stats_sender_retries_total')).toBe(1);
      expect(text).toContain('# TYPE ai_stats_reconciliations_total counter');
      expect(sample(text, 'ai_stats_jobs{kind="video",status="completed"}')).toBe(1);
      expect(sample(text, 'ai_stats_jobs{kind="video",status="failed"}')).toBe(1);
      // A registry of the app's own: none of prom-client's default Node metrics.
      expect(text).not.toContain('process_cpu_user_seconds_total');
      // Inline processing: no inbox, so no inbox gauges.
      expect(text).not.toContain('ai_stats_inbox_');
    });
  });
}

const INBOX_GAUGES = [
  'ai_stats_inbox_pending',
  'ai_stats_inbox_oldest_pending_age_seconds',
  'ai_stats_inbox_retrying',
  'ai_stats_inbox_dead',
] as const;

describe('PROCESSING=inbox: the inbox gauges of GET /metrics', () => {
  let pg: PostgresServer;
  let api: StubApi;
  beforeAll(async () => {
    [pg, api] = await Promise.all([startPostgresServer(), startStubApi('sk_e2e')]);
    api.mode = '503'; // every reconciliation fails: the inbox worker retries, later
  }, 60_000);
  afterAll(async () => {
    await api?.close();
    await pg?.destroy();
  });

  /** Runs one SQL statement on `database` as the server's superuser; its psql output. */
  const psql = (database: string, sql: string): string => {
    const run = spawnSync(
      join(postgresBinDir(), 'psql'),
      ['-h', '127.0.0.1', '-p', String(pg.port), '-U', 'postgres', '-d', database, '-c', sql],
      { encoding: 'utf8', timeout: 10_000 },
    );
    if (run.status !== 0) throw new Error(`psql: ${run.stderr}`);
    return run.stdout;
  };
  const pause = () => new Promise((resolve) => setTimeout(resolve, 250));

  describe.each(['express', 'nextjs'])('examples/%s', (example) => {
    let app: RunningApp;
    const database = `inbox_metrics_${example}`;
    const jobId = `G-INBOX-METRICS-${example.toUpperCase()}`;

    beforeAll(async () => {
      psql('postgres', `create database ${database}`);
      app = await startExample(
        example,
        {
          AI_STATS_WEBHOOK_SECRET: SECRET,
          AI_STATS_API_KEY: 'sk_e2e',
          AI_STATS_BASE_URL: api.baseUrl,
          POLL_INTERVAL_MS: '0',
          DATABASE_URL: pg.url.replace(/\/postgres$/, `/${database}`),
          PROCESSING: 'inbox',
          ADMIN_TOKEN,
        },
        { timeoutMs: 90_000 },
      );
    }, 120_000);
    afterAll(async () => {
      await app?.stop();
    });

    const gauges = async (): Promise<Record<(typeof INBOX_GAUGES)[number], number | undefined>> => {
      const res = await fetch(`${app.url}/metrics`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
      expect(res.status).toBe(200);
      const text = await res.text();
      for (const name of INBOX_GAUGES) expect(text).toContain(`# TYPE ${name} gauge`);
      return Object.fromEntries(INBOX_GAUGES.map((name) => [name, sample(text, name)])) as never;
    };
    const deliver = (d: { headers: Record<string, string>; body: string }) =>
      fetch(`${app.url}/webhooks/ai-stats`, { method: 'POST', headers: d.headers, body: d.body });

    it('reads inbox.stats() on each scrape: idle, a failing event pending and retrying, then a dead letter', async () => {
      expect(await gauges()).toEqual({
        ai_stats_inbox_pending: 0,
        ai_stats_inbox_oldest_pending_age_seconds: 0,
        ai_stats_inbox_retrying: 0,
        ai_stats_inbox_dead: 0,
      });
      // Completed, then failed: a terminal conflict the worker reconciles with the Video API, which
      // answers 503, so the event waits for a retry.
      expect((await deliver(sign(event('video.completed.json', { jobId })))).status).toBe(200);
      expect((await deliver(sign(event('video.failed.attempt2.json', { jobId })))).status).toBe(200);
      let now = await gauges();
      for (let i = 0; i < 120 && now.ai_stats_inbox_retrying !== 1; i++) now = await pause().then(gauges);
      expect(now).toMatchObject({ ai_stats_inbox_pending: 1, ai_stats_inbox_retrying: 1, ai_stats_inbox_dead: 0 });
      expect(now.ai_stats_inbox_oldest_pending_age_seconds).toBeGreaterThan(0);

      // As after its last attempt: the worker gives up on the event (not while it holds it).
      const dead = `update ai_stats_webhooks.inbox set status = 'dead' where status = 'pending' and job_id = '${jobId}'`;
      let updated = psql(database, dead);
      for (let i = 0; i < 40 && !updated.includes('UPDATE 1'); i++)
        updated = await pause().then(() => psql(database, dead));
      expect(updated).toContain('UPDATE 1');
      expect(await gauges()).toEqual({
        ai_stats_inbox_pending: 0,
        ai_stats_inbox_oldest_pending_age_seconds: 0,
        ai_stats_inbox_retrying: 0,
        ai_stats_inbox_dead: 1,
      });
    }, 90_000);
  });
});
