import type { DeliveryReport, JobStore } from '@ai-stats-webhooks/core';
import type { InboxStats } from '@ai-stats-webhooks/postgres';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** What {@link createDeliveryMetrics} reads at scrape time. */
export interface DeliveryMetricsOptions {
  /** The job store whose jobs `ai_stats_jobs{kind,status}` counts, read on every scrape. */
  jobs: () => JobStore;
  /** PROCESSING=inbox: the inbox whose `stats()` the `ai_stats_inbox_*` gauges read on every scrape. */
  inbox?: { stats(): Promise<InboxStats> } | undefined;
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
 * - `ai_stats_jobs{kind,status}`: the stored jobs, counted from `jobs().list()` at scrape time;
 * - with `inbox` (PROCESSING=inbox), read from `inbox.stats()` at scrape time:
 *   `ai_stats_inbox_pending`, `ai_stats_inbox_oldest_pending_age_seconds`,
 *   `ai_stats_inbox_retrying` and `ai_stats_inbox_dead`.
 *
 * @example
 * ```ts
 * const metrics = createDeliveryMetrics(new Registry(), { jobs: () => receiver.options.jobs, inbox });
 * const receiver = createReceiver({ secret, inbox, onDelivery: metrics.record });
 * app.get('/metrics', async (_req, res) => void res.type(metrics.contentType).send(await metrics.render()));
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
  if (options.inbox) inboxGauges(registry, options.inbox);

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

/** The inbox gauges, each with the `InboxStats` field it shows (ms turned into seconds). */
const INBOX_GAUGES: ReadonlyArray<{ name: string; help: string; value: (stats: InboxStats) => number }> = [
  {
    name: 'ai_stats_inbox_pending',
    help: 'Acknowledged deliveries waiting for the inbox worker: new ones and those waiting for a retry.',
    value: (stats) => stats.pending,
  },
  {
    name: 'ai_stats_inbox_oldest_pending_age_seconds',
    help: 'How long the oldest pending delivery has waited since it was received; 0 when none waits.',
    value: (stats) => (stats.oldestPendingMs ?? 0) / 1000,
  },
  {
    name: 'ai_stats_inbox_retrying',
    help: 'Pending deliveries whose processing failed before and that wait for a retry.',
    value: (stats) => stats.retrying,
  },
  {
    name: 'ai_stats_inbox_dead',
    help: 'Dead letters: deliveries whose processing failed on every attempt; replay them once fixed.',
    value: (stats) => stats.dead,
  },
];

/**
 * The `ai_stats_inbox_*` gauges, read from `inbox.stats()` at scrape time: prom-client collects
 * every metric of a scrape at once, so the four share one `stats()` query.
 */
function inboxGauges(registry: Registry, inbox: { stats(): Promise<InboxStats> }): void {
  let reading: Promise<InboxStats> | undefined;
  const read = (): Promise<InboxStats> =>
    (reading ??= inbox.stats().finally(() => {
      reading = undefined;
    }));
  for (const { name, help, value } of INBOX_GAUGES) {
    new Gauge({
      name,
      help,
      registers: [registry],
      async collect() {
        this.set(value(await read()));
      },
    });
  }
}

/** What {@link createDeliveryMetrics} returns. */
export type DeliveryMetrics = ReturnType<typeof createDeliveryMetrics>;
