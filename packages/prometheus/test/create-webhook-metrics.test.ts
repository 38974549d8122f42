import { Registry } from 'prom-client';
import { createWebhookMetrics, DEFAULT_METRIC_PREFIX, METRIC_NAMES } from '@ai-stats-webhooks/prometheus';
import { deliveryReport, sample } from './delivery-report';

const setup = () => {
  const registry = new Registry();
  return { registry, metrics: createWebhookMetrics({ registry }) };
};

describe('createWebhookMetrics: ai_stats_webhook_deliveries_total{outcome,type,code}', () => {
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
    expect(sample(text, `${total}{outcome="rejected",type="unknown",code="signature_mismatch"}`)).toBe(1);
    expect(sample(text, `${total}{outcome="failed",type="video.completed",code="handler_failed"}`)).toBe(1);
  });

  it("labels each refusal with its code, so a crawler's 405 or a form's 415 is not a signature failure", async () => {
    const { registry, metrics } = setup();
    const refused = { outcome: 'rejected', type: undefined } as const;
    metrics.record(deliveryReport({ ...refused, status: 405, code: 'method_not_allowed' }));
    metrics.record(deliveryReport({ ...refused, status: 405, code: 'method_not_allowed' }));
    metrics.record(deliveryReport({ ...refused, status: 415, code: 'unsupported_media_type' }));
    metrics.record(deliveryReport({ ...refused, status: 401, code: 'signature_mismatch' }));
    metrics.record(deliveryReport({ ...refused, status: 401, code: 'timestamp_too_old' }));
    metrics.record(deliveryReport({ outcome: 'in_flight', status: 409, code: 'in_flight' }));
    metrics.record(deliveryReport({ outcome: 'processed' }));
    const total = METRIC_NAMES.deliveries;
    const text = await registry.getSingleMetricAsString(total);
    expect(sample(text, `${total}{outcome="rejected",type="unknown",code="method_not_allowed"}`)).toBe(2);
    expect(sample(text, `${total}{outcome="rejected",type="unknown",code="unsupported_media_type"}`)).toBe(1);
    expect(sample(text, `${total}{outcome="rejected",type="unknown",code="signature_mismatch"}`)).toBe(1);
    expect(sample(text, `${total}{outcome="rejected",type="unknown",code="timestamp_too_old"}`)).toBe(1);
    expect(sample(text, `${total}{outcome="in_flight",type="video.completed",code="in_flight"}`)).toBe(1);
    // An answer without an error code has no code label (the same series as code="" in PromQL).
    expect(sample(text, `${total}{outcome="processed",type="video.completed"}`)).toBe(1);
  });

  it.each([
    ['a code outside the closed table', 'not_a_code'],
    ['label text', 'x",outcome="processed'],
    ['a long string', 'signature_mismatch'.repeat(100)],
    ['an Object.prototype key', 'toString'],
    ['__proto__', '__proto__'],
    ['a number', 401],
  ])('counts %s under code="other", never as a label value of its own', async (_what, code) => {
    const { registry, metrics } = setup();
    metrics.record(deliveryReport({ outcome: 'rejected', status: 400, type: undefined, code: code as never }));
    const total = METRIC_NAMES.deliveries;
    const text = await registry.getSingleMetricAsString(total);
    expect(text.split('\n').filter((line) => line.startsWith(`${total}{`))).toEqual([
      `${total}{outcome="rejected",type="unknown",code="other"} 1`,
    ]);
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

describe('createWebhookMetrics: a negative durationMs', () => {
  it('counts the answer with a duration of 0 (a wall clock stepped back during the delivery)', async () => {
    const { metrics } = setup();
    expect(() => metrics.record(deliveryReport({ outcome: 'processed', durationMs: -250 }))).not.toThrow();
    metrics.record(deliveryReport({ outcome: 'processed', durationMs: -0 }));
    const text = await metrics.render();
    const name = METRIC_NAMES.deliveryDuration;
    expect(sample(text, `${METRIC_NAMES.deliveries}{outcome="processed",type="video.completed"}`)).toBe(2);
    expect(sample(text, `${name}_count{outcome="processed"}`)).toBe(2);
    expect(sample(text, `${name}_sum{outcome="processed"}`)).toBe(0);
    expect(sample(text, `${name}_bucket{le="0.005",outcome="processed"}`)).toBe(2);
  });

  it.each([
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['-Infinity', Number.NEGATIVE_INFINITY],
    ['a string', '12'],
  ])('still refuses %s, counting nothing', async (_what, durationMs) => {
    const { metrics } = setup();
    expect(() => metrics.record({ ...deliveryReport(), durationMs: durationMs as never })).toThrow(
      /^Expected a delivery report .* durationMs a finite number of ms.*Fix: pass metrics\.record as onDelivery/,
    );
    expect(await metrics.render()).not.toMatch(/^ai_stats_webhook_deliveries_total\{/m);
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
