import { Registry } from 'prom-client';
import {
  createWebhookMetrics,
  METRIC_NAMES,
  type InboxGaugeStats,
  type InboxStatsSource,
} from '@ai-stats-webhooks/prometheus';
import { deliveryReport, sample } from './delivery-report';

const INBOX = [
  METRIC_NAMES.inboxPending,
  METRIC_NAMES.inboxOldestPendingAge,
  METRIC_NAMES.inboxRetrying,
  METRIC_NAMES.inboxDead,
] as const;

/** A stub inbox answering `now`, counting its stats() calls. */
function stubInbox(now: InboxGaugeStats & Record<string, unknown>) {
  const inbox = { now, calls: 0, stats: async () => (inbox.calls++, inbox.now) };
  return inbox;
}

const read = (text: string) => Object.fromEntries(INBOX.map((name) => [name, sample(text, name)]));

describe('createWebhookMetrics: the ai_stats_inbox_* gauges', () => {
  it('shows inbox.stats() at each scrape, with one stats() call per scrape', async () => {
    // The PostgreSQL inbox's InboxStats has more fields; the gauges read four.
    const inbox = stubInbox({ pending: 0, oldestPendingMs: null, retrying: 0, processing: 0, dead: 0, done: 7 });
    const registry = new Registry();
    const metrics = createWebhookMetrics({ registry, inbox });
    let text = await metrics.render();
    for (const name of INBOX) expect(text).toContain(`# TYPE ${name} gauge`);
    expect(read(text)).toEqual({
      ai_stats_inbox_pending: 0,
      ai_stats_inbox_oldest_pending_age_seconds: 0,
      ai_stats_inbox_retrying: 0,
      ai_stats_inbox_dead: 0,
    });
    expect(inbox.calls).toBe(1);

    inbox.now = { pending: 3, oldestPendingMs: 4500, retrying: 1, dead: 2 };
    text = await metrics.render();
    expect(read(text)).toEqual({
      ai_stats_inbox_pending: 3,
      ai_stats_inbox_oldest_pending_age_seconds: 4.5,
      ai_stats_inbox_retrying: 1,
      ai_stats_inbox_dead: 2,
    });
    expect(inbox.calls).toBe(2);
  });

  it('accepts an inbox whose stats() answers synchronously', async () => {
    const inbox: InboxStatsSource = { stats: () => ({ pending: 1, oldestPendingMs: 10, retrying: 0, dead: 0 }) };
    const registry = new Registry();
    createWebhookMetrics({ registry, inbox });
    const text = await registry.getSingleMetricAsString(METRIC_NAMES.inboxPending);
    expect(sample(text, METRIC_NAMES.inboxPending)).toBe(1);
  });

  it('has no inbox gauges without the inbox option', async () => {
    const registry = new Registry();
    const metrics = createWebhookMetrics({ registry, inbox: undefined });
    for (const name of INBOX) expect(registry.getSingleMetric(name)).toBeUndefined();
    expect(await metrics.render()).not.toContain('ai_stats_inbox_');
  });
});

describe('createWebhookMetrics: a source that fails to answer', () => {
  it('keeps the scrape and the last values, and says so in ai_stats_metrics_source_up', async () => {
    const inbox = stubInbox({ pending: 3, oldestPendingMs: 2_000, retrying: 1, dead: 0 });
    const registry = new Registry();
    const metrics = createWebhookMetrics({ registry, inbox, jobs: { list: async () => [] } as never });
    metrics.record(deliveryReport());
    await metrics.render();
    const failing = inbox.stats;
    inbox.stats = async () => {
      throw new Error('connection refused');
    };
    const down = await metrics.render();
    expect(read(down)).toMatchObject({ ai_stats_inbox_pending: 3, ai_stats_inbox_retrying: 1 });
    expect(down).toContain('ai_stats_metrics_source_up{source="inbox"} 0');
    expect(down).toContain('ai_stats_metrics_source_up{source="jobs"} 1');
    expect(down).toContain(METRIC_NAMES.deliveries);
    inbox.stats = failing;
    inbox.now = { ...inbox.now, pending: 0 };
    const up = await metrics.render();
    expect(read(up)).toMatchObject({ ai_stats_inbox_pending: 0 });
    expect(up).toContain('ai_stats_metrics_source_up{source="inbox"} 1');
  });
});

describe('createWebhookMetrics: an inbox whose stats are not numbers', () => {
  const sourceUp = (text: string) => sample(text, `${METRIC_NAMES.sourceUp}{source="inbox"}`);

  it('takes counts given as strings or bigints as numbers', async () => {
    const inbox: InboxStatsSource = {
      stats: async () => ({ pending: '3', oldestPendingMs: '1200', retrying: 1n, dead: '0' }) as never,
    };
    const text = await createWebhookMetrics({ registry: new Registry(), inbox }).render();
    expect(read(text)).toEqual({
      ai_stats_inbox_pending: 3,
      ai_stats_inbox_oldest_pending_age_seconds: 1.2,
      ai_stats_inbox_retrying: 1,
      ai_stats_inbox_dead: 0,
    });
    expect(sourceUp(text)).toBe(1);
  });

  it.each([
    ['undefined', undefined],
    ['a missing count', { pending: 1, oldestPendingMs: null, retrying: 0 }],
    ['a count that is not a number', { pending: 'many', oldestPendingMs: null, retrying: 0, dead: 0 }],
    ['a negative count', { pending: -1, oldestPendingMs: null, retrying: 0, dead: 0 }],
  ])('fails the read, not the scrape, on %s (source_up 0, the last values kept)', async (_what, answer) => {
    let now: unknown = { pending: 2, oldestPendingMs: null, retrying: 0, dead: 1 };
    const metrics = createWebhookMetrics({ registry: new Registry(), inbox: { stats: async () => now as never } });
    expect(sourceUp(await metrics.render())).toBe(1);
    now = answer;
    const text = await metrics.render();
    expect(sourceUp(text)).toBe(0);
    expect(read(text)).toMatchObject({ ai_stats_inbox_pending: 2, ai_stats_inbox_dead: 1 });
  });
});

describe('createWebhookMetrics: record', () => {
  it('refuses a malformed report before counting anything', async () => {
    const metrics = createWebhookMetrics({ registry: new Registry() });
    expect(() => metrics.record({} as never)).toThrow(
      /^Expected a delivery report as the receiver's onDelivery gives it .* found outcome nothing and durationMs nothing/,
    );
    expect(() => metrics.record({ ...deliveryReport(), durationMs: Number.NaN })).toThrow(/durationMs NaN/);
    const text = await metrics.render();
    expect(text).not.toMatch(/^ai_stats_webhook_deliveries_total\{/m);
  });
});
