import { Registry } from 'prom-client';
import { createWebhookMetrics, DEFAULT_METRIC_PREFIX, METRIC_NAMES } from '@ai-stats-webhooks/prometheus';
import { deliveryReport, sample } from './delivery-report';

const setup = () => {
  const registry = new Registry();
  return { registry, metrics: createWebhookMetrics({ registry }) };
};

describe('createWebhookMetrics: ai_stats_webhook_deliveries_total{outcome,type}', () => {
  it('counts every outcome by event type, with type "unknown" before the body was parsed', async () => {
    const { registry, metrics } = setup();
    metrics.record(deliveryReport({ outcome: 'processed' }));
    metrics.record(deliveryReport({ outcome: 'processed' }));
    metrics.record(deliveryReport({ outcome: 'duplicate' }));
    metrics.record(deliveryReport({ outcome: 'in_flight', status: 409, type: 'video.failed' }));
    metrics.record(deliveryReport({ outcome: 'rejected', status: 401, code: 'signature_mismatch', type: undefined }));
    metrics.record(deliveryReport({ outcome: 'failed', status: 500, code: 'handler_failed' }));
    const text = await registry.getSingleMetricAsString(METRIC_NAMES.deliveries);
    const total = METRIC_NAMES.deliveries;
    expect(text).toContain(`# TYPE ${total} counter`);
    expect(sample(text, `${total}{outcome="processed",type="video.completed"}`)).toBe(2);
    expect(sample(text, `${total}{outcome="duplicate",type="video.completed"}`)).toBe(1);
    expect(sample(text, `${total}{outcome="in_flight",type="video.failed"}`)).toBe(1);
    expect(sample(text, `${total}{outcome="rejected",type="unknown"}`)).toBe(1);
    expect(sample(text, `${total}{outcome="failed",type="video.completed"}`)).toBe(1);
  });
});

describe('createWebhookMetrics: ai_stats_webhook_delivery_duration_seconds{outcome}', () => {
  it('observes each answer time in seconds, by outcome', async () => {
    const { registry, metrics } = setup();
    metrics.record(deliveryReport({ outcome: 'processed', durationMs: 20 }));
    metrics.record(deliveryReport({ outcome: 'processed', durationMs: 30 }));
    metrics.record(deliveryReport({ outcome: 'rejected', durationMs: 2000, type: undefined }));
    const name = METRIC_NAMES.deliveryDuration;
    const text = await registry.getSingleMetricAsString(name);
    expect(text).toContain(`# TYPE ${name} histogram`);
    expect(sample(text, `${name}_count{outcome="processed"}`)).toBe(2);
    expect(sample(text, `${name}_sum{outcome="processed"}`)).toBeCloseTo(0.05);
    expect(sample(text, `${name}_count{outcome="rejected"}`)).toBe(1);
    expect(sample(text, `${name}_bucket{le="1",outcome="rejected"}`)).toBe(0);
    expect(sample(text, `${name}_bucket{le="2.5",outcome="rejected"}`)).toBe(1);
  });
});

describe('createWebhookMetrics: ai_stats_reconciliations_total{resolution}', () => {
  it('counts reconciled deliveries, and conflicts that were not reconciled', async () => {
    const { registry, metrics } = setup();
    metrics.record(deliveryReport({ reconciled: true, conflict: 'terminal_mismatch' }));
    metrics.record(deliveryReport({ reconciled: true }));
    metrics.record(deliveryReport({ conflict: 'backwards' }));
    metrics.record(deliveryReport());
    const name = METRIC_NAMES.reconciliations;
    const text = await registry.getSingleMetricAsString(name);
    expect(sample(text, `${name}{resolution="reconciled"}`)).toBe(2);
    expect(sample(text, `${name}{resolution="conflict"}`)).toBe(1);
  });
});

describe('createWebhookMetrics: ai_stats_sender_retries_total', () => {
  it('counts deliveries with an attempt number above 1', async () => {
    const { registry, metrics } = setup();
    metrics.record(deliveryReport({ attempt: 1 }));
    metrics.record(deliveryReport({ attempt: undefined, type: undefined, outcome: 'rejected' }));
    metrics.record(deliveryReport({ attempt: 2 }));
    metrics.record(deliveryReport({ attempt: 5, outcome: 'duplicate' }));
    const text = await registry.getSingleMetricAsString(METRIC_NAMES.senderRetries);
    expect(sample(text, METRIC_NAMES.senderRetries)).toBe(2);
  });
});

describe('createWebhookMetrics: the scrape', () => {
  it('renders the registry in the Prometheus text format, without default Node metrics', async () => {
    const { registry, metrics } = setup();
    metrics.record(deliveryReport());
    expect(metrics.contentType).toBe(registry.contentType);
    expect(metrics.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await metrics.render();
    expect(text).toBe(await registry.metrics());
    expect(sample(text, `${METRIC_NAMES.deliveries}{outcome="processed",type="video.completed"}`)).toBe(1);
    expect(text).not.toContain('process_cpu_user_seconds_total');
    expect(metrics.names).toEqual(METRIC_NAMES);
  });

  it('names every metric after the prefix option', async () => {
    const registry = new Registry();
    const metrics = createWebhookMetrics({ registry, prefix: 'video_' });
    metrics.record(deliveryReport({ attempt: 2 }));
    expect(metrics.names.deliveries).toBe('video_webhook_deliveries_total');
    expect(metrics.names.inboxOldestPendingAge).toBe('video_inbox_oldest_pending_age_seconds');
    const text = await metrics.render();
    expect(sample(text, 'video_sender_retries_total')).toBe(1);
    expect(text).not.toContain(DEFAULT_METRIC_PREFIX);
  });

  it('rejects bad options at construction, naming the option', () => {
    const registry = new Registry();
    expect(() => createWebhookMetrics({ registry: undefined as never })).toThrow(
      expect.objectContaining({
        code: 'invalid_option',
        message: expect.stringMatching(/"registry".*new Registry\(\)/),
      }),
    );
    expect(() => createWebhookMetrics({ registry, jobs: {} as never })).toThrow(/"jobs"/);
    expect(() => createWebhookMetrics({ registry, inbox: { count: 1 } as never })).toThrow(/"inbox".*stats\(\)/);
    expect(() => createWebhookMetrics({ registry, prefix: '1 bad' })).toThrow(/"prefix".*"1 bad"/);
    // Nothing was registered by the refused calls.
    expect(registry.getMetricsAsArray()).toHaveLength(0);
  });
});
