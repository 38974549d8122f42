import { event, sign } from './helpers/deliveries';
import type { RunningApp } from './helpers/example-app';
import { ADMIN_TOKEN, startTarget, type ExampleTarget } from './helpers/example-target';

// GET /metrics of the Node examples (issue 12 §2): Prometheus text fed by the receiver's
// onDelivery report, behind ADMIN_TOKEN like the other admin routes.

const TARGETS: ExampleTarget[] = ['express', 'nextjs'].map((example) => ({
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
      expect(sample(text, `${total}{outcome="rejected",type="unknown"}`)).toBe(1);
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
    });
  });
}
