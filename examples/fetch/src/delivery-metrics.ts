// GET /metrics with prom-client on every runtime this app runs on. prom-client is a Node package:
// it `require`s Node built-ins (util, and cluster, v8, perf_hooks, fs, http… for its default
// metrics and push gateway, which this app never starts). Node and Bun have them; Deno has them as
// `node:` modules; workerd has them with the `nodejs_compat` compatibility flag, which this
// example's Worker needs for that reason (src/runtimes/bundle-for-runtime.ts turns those
// `require`s into `node:` imports, as wrangler does). A registry of the app's own: no default
// metrics, nothing global. On Workers each isolate counts its own deliveries.
import type { DeliveryReport, JobStore } from '@ai-stats-webhooks/core';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** What {@link createDeliveryMetrics} reads at scrape time. */
export interface DeliveryMetricsOptions {
  /** The job store whose jobs `ai_stats_jobs{kind,status}` counts, read on every scrape. */
  jobs: () => JobStore;
}

/**
 * Prometheus metrics of the webhook route on `registry` (one per app, never prom-client's global
 * one), fed by the receiver's `onDelivery` report:
 * - `ai_stats_webhook_deliveries_total{outcome,type}`: every answer, 401s included (`type` is
 *   `unknown` until the body was verified and parsed);
 * - `ai_stats_webhook_delivery_duration_seconds`: how long the answers took (histogram);
 * - `ai_stats_reconciliations_total{resolution}`: deliveries that were reconciled with the Video
 *   API (`reconciled`) or that conflicted with the stored job and were not (`conflict`);
 * - `ai_stats_sender_retries_total`: deliveries with an attempt number above 1;
 * - `ai_stats_jobs{kind,status}`: the stored jobs, counted from `jobs().list()` at scrape time.
 *
 * @example
 * ```ts
 * const metrics = createDeliveryMetrics(new Registry(), { jobs: () => receiver.options.jobs });
 * const receiver = createReceiver({ secret, onDelivery: metrics.record });
 * app.get('/metrics', async (c) => c.body(await metrics.render(), 200, { 'Content-Type': metrics.contentType }));
 * ```
 */
export function createDeliveryMetrics(registry: Registry, options: DeliveryMetricsOptions) {
  const registers = [registry];
  const deliveries = new Counter({
    name: 'ai_stats_webhook_deliveries_total',
    help: 'Answers of the webhook route, by outcome (processed, duplicate, in_flight, rejected, failed) and event type.',
    labelNames: ['outcome', 'type'] as const,
    registers,
  });
  const duration = new Histogram({
    name: 'ai_stats_webhook_delivery_duration_seconds',
    help: 'Time the webhook route took to answer a delivery.',
    labelNames: ['outcome'] as const,
    registers,
  });
  const reconciliations = new Counter({
    name: 'ai_stats_reconciliations_total',
    help: 'Deliveries reconciled with the Video API (reconciled) or in conflict with the stored job without reconciliation (conflict).',
    labelNames: ['resolution'] as const,
    registers,
  });
  const retries = new Counter({
    name: 'ai_stats_sender_retries_total',
    help: 'Deliveries with an attempt number above 1: the sender had to retry.',
    registers,
  });
  jobsGauge(registry, options.jobs);

  const record = (report: DeliveryReport): void => {
    deliveries.inc({ outcome: report.outcome, type: report.type ?? 'unknown' });
    duration.observe({ outcome: report.outcome }, report.durationMs / 1000);
    if (report.reconciled) reconciliations.inc({ resolution: 'reconciled' });
    else if (report.conflict) reconciliations.inc({ resolution: 'conflict' });
    if ((report.attempt ?? 1) > 1) retries.inc();
  };
  return {
    record,
    /** The registry's metrics in the Prometheus text format. */
    render: (): Promise<string> => registry.metrics(),
    /** The `Content-Type` of {@link render}'s text. */
    contentType: registry.contentType as string,
  };
}

/** `ai_stats_jobs{kind,status}`: the stored jobs, counted from the job store at scrape time. */
function jobsGauge(registry: Registry, jobs: () => JobStore): void {
  new Gauge({
    name: 'ai_stats_jobs',
    help: 'Stored jobs by kind and status, read from the job store at scrape time.',
    labelNames: ['kind', 'status'] as const,
    registers: [registry],
    async collect() {
      const counts = new Map<string, { kind: string; status: string; n: number }>();
      for (const job of await jobs().list()) {
        const key = `${job.kind}\u0000${job.status}`;
        const entry = counts.get(key) ?? { kind: job.kind, status: job.status, n: 0 };
        entry.n++;
        counts.set(key, entry);
      }
      this.reset();
      for (const { kind, status, n } of counts.values()) this.set({ kind, status }, n);
    },
  });
}

/** What {@link createDeliveryMetrics} returns. */
export type DeliveryMetrics = ReturnType<typeof createDeliveryMetrics>;
