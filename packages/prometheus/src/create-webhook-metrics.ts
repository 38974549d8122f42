import { countJobs, describeFound, invalidOption, type DeliveryReport, type JobStore } from '@ai-stats-webhooks/core';
import { Counter, Histogram, type Registry } from 'prom-client';
import { deliveryCodeLabel } from './delivery-code-label';
import { checkedInboxStats, registerInboxGauges, type InboxStatsSource } from './inbox-gauges';
import { checkedJobCounts, registerJobsGauge } from './jobs-gauge';
import { registerSourceUp, sharedRead } from './source-up';
import { DEFAULT_METRIC_PREFIX, metricNames, type MetricKey } from './metric-names';

/**
 * Options of {@link createWebhookMetrics}.
 *
 * @example
 * ```ts
 * const options: WebhookMetricsOptions = { registry: new Registry(), jobs: () => receiver.options.jobs };
 * ```
 */
export interface WebhookMetricsOptions {
  /** Where the metrics are registered: one registry of your own (never prom-client's global one for a library). */
  readonly registry: Registry;
  /**
   * The job store `ai_stats_jobs{kind,status}` counts on every scrape (`countJobs`: its
   * `countByStatus()`, else a count of `list()`); a function when the store is known later
   * (`() => receiver.options.jobs`). Unset: no `ai_stats_jobs` gauge.
   */
  readonly jobs?: JobStore | (() => JobStore) | undefined;
  /** The inbox the `ai_stats_inbox_*` gauges read on every scrape (`inbox.stats()`). Unset: no inbox gauges. */
  readonly inbox?: InboxStatsSource | undefined;
  /** The start of every metric name. Default {@link DEFAULT_METRIC_PREFIX} (`ai_stats_`). */
  readonly prefix?: string | undefined;
}

/**
 * What {@link createWebhookMetrics} returns.
 *
 * @example
 * ```ts
 * const metrics: WebhookMetrics = createWebhookMetrics({ registry });
 * const receiver = createReceiver({ secret, onDelivery: metrics.record });
 * ```
 */
export interface WebhookMetrics {
  /** Counts one answer of the webhook route: pass it as the receiver's `onDelivery`. */
  readonly record: (report: DeliveryReport) => void;
  /** The registry's metrics in the Prometheus text format, for `GET /metrics`. */
  readonly render: () => Promise<string>;
  /** The `Content-Type` of {@link WebhookMetrics.render}'s text. */
  readonly contentType: string;
  /** The metric names in use (those of `METRIC_NAMES` under the `prefix` option). */
  readonly names: Readonly<Record<MetricKey, string>>;
}

/** A Prometheus metric name prefix: letters, digits, `_` and `:`, not starting with a digit; may be empty. */
const PREFIX = /^(?:[a-zA-Z_:][a-zA-Z0-9_:]*)?$/;

/**
 * Prometheus metrics of the webhook route on `registry`, fed by the receiver's `onDelivery` report:
 * - `ai_stats_webhook_deliveries_total{outcome,type,code}`: every answer, 401s included (`type` is
 *   `unknown` until the body was verified and parsed; `code` is the `WebhookError` code of an
 *   answer that has one, `other` for a code outside `WEBHOOK_ERROR_STATUS`, no label for a success);
 * - `ai_stats_webhook_delivery_duration_seconds{outcome}`: how long the answers took (histogram; a
 *   negative `durationMs`, a wall clock stepped back during the delivery, counts as 0);
 * - `ai_stats_reconciliations_total{resolution}`: deliveries reconciled with the Video API
 *   (`reconciled`) or in conflict with the stored job and not reconciled (`conflict`);
 * - `ai_stats_sender_retries_total`: deliveries with an attempt number above 1;
 * - with `jobs`: `ai_stats_jobs{kind,status}`, the stored jobs counted at scrape time (one
 *   `countByStatus()` of the store, or a count of its `list()` for a store without it);
 * - with `inbox`: `ai_stats_inbox_pending`, `ai_stats_inbox_oldest_pending_age_seconds`,
 *   `ai_stats_inbox_retrying` and `ai_stats_inbox_dead`, from one `inbox.stats()` per scrape;
 * - with either: `ai_stats_metrics_source_up{source}`, 0 when a read failed (those gauges then keep
 *   their last values; the scrape itself never fails).
 *
 * Call it once per registry: prom-client refuses a second metric of the same name.
 *
 * @example
 * ```ts
 * import { Registry } from 'prom-client';
 * import { createWebhookMetrics } from '@ai-stats-webhooks/prometheus';
 *
 * const metrics = createWebhookMetrics({ registry: new Registry(), jobs: () => receiver.options.jobs, inbox });
 * const receiver = createReceiver({ secret, inbox, onDelivery: metrics.record });
 * app.get('/metrics', async (_req, res) => void res.type(metrics.contentType).send(await metrics.render()));
 * ```
 */
export function createWebhookMetrics(options: WebhookMetricsOptions): WebhookMetrics {
  const names = metricNames(checkOptions(options));
  const { registry, jobs, inbox } = options;
  const registers = [registry];
  const deliveries = new Counter({
    name: names.deliveries,
    help: 'Answers of the webhook route, by outcome (processed, duplicate, in_flight, rejected, failed), event type and error code (none for a success).',
    labelNames: ['outcome', 'type', 'code'] as const,
    registers,
  });
  const duration = new Histogram({
    name: names.deliveryDuration,
    help: 'Time the webhook route took to answer a delivery.',
    labelNames: ['outcome'] as const,
    registers,
  });
  const reconciliations = new Counter({
    name: names.reconciliations,
    help: 'Deliveries reconciled with the Video API (reconciled) or in conflict with the stored job without reconciliation (conflict).',
    labelNames: ['resolution'] as const,
    registers,
  });
  const retries = new Counter({
    name: names.senderRetries,
    help: 'Deliveries with an attempt number above 1: the sender had to retry.',
    registers,
  });
  const sources: Record<string, () => Promise<unknown>> = {};
  if (jobs) {
    const store = typeof jobs === 'function' ? jobs : () => jobs;
    const read = async () => checkedJobCounts(await countJobs(store()));
    registerJobsGauge(registry, names.jobs, (sources.jobs = sharedRead(read)));
  }
  if (inbox) {
    const read = async () => checkedInboxStats(await inbox.stats());
    registerInboxGauges(registry, names, (sources.inbox = sharedRead(read)));
  }
  if (jobs || inbox) registerSourceUp(registry, names.sourceUp, sources);

  const record = (report: DeliveryReport): void => {
    checkReport(report); // before any metric moves: a malformed report is not half-recorded
    deliveries.inc({ outcome: report.outcome, type: report.type ?? 'unknown', ...deliveryCodeLabel(report.code) });
    // A wall clock stepped back during the delivery gives a negative duration: the answer still counts, as 0 s.
    duration.observe({ outcome: report.outcome }, Math.max(0, report.durationMs) / 1000);
    if (report.reconciled) reconciliations.inc({ resolution: 'reconciled' });
    else if (report.conflict) reconciliations.inc({ resolution: 'conflict' });
    if ((report.attempt ?? 1) > 1) retries.inc();
  };
  return { record, render: () => registry.metrics(), contentType: registry.contentType, names };
}

const OUTCOMES: ReadonlySet<unknown> = new Set(['processed', 'duplicate', 'in_flight', 'rejected', 'failed']);

// A report from the receiver's onDelivery always passes; one made by hand may not. A negative
// durationMs passes (record counts it as 0): every answer is counted, whatever the clock did.
function checkReport(report: DeliveryReport): void {
  const { outcome, durationMs } = (report ?? {}) as Partial<DeliveryReport>;
  if (OUTCOMES.has(outcome) && typeof durationMs === 'number' && Number.isFinite(durationMs)) return;
  throw new TypeError(
    `Expected a delivery report as the receiver's onDelivery gives it ({ outcome: "processed" | "duplicate" | "in_flight" | "rejected" | "failed", durationMs a finite number of ms, … }), found outcome ${describeFound(outcome)} and durationMs ${describeFound(durationMs)}. Fix: pass metrics.record as onDelivery.`,
  );
}

/** Checks the options once, at construction (`invalid_option`, as every option of the kit); the prefix to use. */
function checkOptions(options: WebhookMetricsOptions): string {
  const { registry, jobs, inbox, prefix = DEFAULT_METRIC_PREFIX } = options ?? {};
  if (typeof registry?.metrics !== 'function' || typeof registry.registerMetric !== 'function')
    throw invalidOption('registry', 'a prom-client Registry (registry: new Registry())', describeFound(registry));
  if (jobs !== undefined && typeof jobs !== 'function' && typeof jobs?.list !== 'function')
    throw invalidOption(
      'jobs',
      'a job store (with list()) or a function returning one, such as () => receiver.options.jobs',
      describeFound(jobs),
    );
  if (inbox !== undefined && typeof inbox?.stats !== 'function')
    throw invalidOption(
      'inbox',
      'an inbox with stats() (the PostgreSQL inbox), or no inbox option',
      describeFound(inbox),
    );
  if (typeof prefix !== 'string' || !PREFIX.test(prefix))
    throw invalidOption(
      'prefix',
      `a metric name prefix (letters, digits, "_" and ":", not starting with a digit), or none for "${DEFAULT_METRIC_PREFIX}"`,
      describeFound(prefix),
    );
  return prefix;
}
