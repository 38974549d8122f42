/**
 * The prefix of every metric name unless `createWebhookMetrics({ prefix })` says otherwise.
 *
 * @example
 * ```ts
 * createWebhookMetrics({ registry, prefix: DEFAULT_METRIC_PREFIX }); // the same as no prefix option
 * ```
 */
export const DEFAULT_METRIC_PREFIX = 'ai_stats_';

/**
 * The name of each metric under {@link DEFAULT_METRIC_PREFIX}, for dashboards, alert rules and
 * tests. With another prefix, `createWebhookMetrics(…).names` holds the names in use.
 *
 * @example
 * ```ts
 * const text = await registry.getSingleMetricAsString(METRIC_NAMES.deliveries);
 * ```
 */
export const METRIC_NAMES = Object.freeze({
  /** Counter `{outcome,type}`: every answer of the webhook route. */
  deliveries: 'ai_stats_webhook_deliveries_total',
  /** Histogram `{outcome}`: how long the answers took, in seconds. */
  deliveryDuration: 'ai_stats_webhook_delivery_duration_seconds',
  /** Counter `{resolution}`: deliveries reconciled with the Video API, or in conflict and not reconciled. */
  reconciliations: 'ai_stats_reconciliations_total',
  /** Counter: deliveries with an attempt number above 1. */
  senderRetries: 'ai_stats_sender_retries_total',
  /** Gauge `{kind,status}`: the stored jobs, counted at scrape time (with the `jobs` option). */
  jobs: 'ai_stats_jobs',
  /** Gauge: deliveries waiting for the inbox worker (with the `inbox` option). */
  inboxPending: 'ai_stats_inbox_pending',
  /** Gauge: seconds the oldest pending delivery has waited, 0 when none waits (with the `inbox` option). */
  inboxOldestPendingAge: 'ai_stats_inbox_oldest_pending_age_seconds',
  /** Gauge: pending deliveries that failed before and wait for a retry (with the `inbox` option). */
  inboxRetrying: 'ai_stats_inbox_retrying',
  /** Gauge: dead letters, deliveries that failed on every attempt (with the `inbox` option). */
  inboxDead: 'ai_stats_inbox_dead',
  /** Gauge `{source}`: 1 when `jobs` / `inbox` answered the scrape, 0 when their gauges show the last values. */
  sourceUp: 'ai_stats_metrics_source_up',
} as const);

/**
 * Which metric each name of {@link METRIC_NAMES} stands for.
 *
 * @example
 * ```ts
 * const key: MetricKey = 'deliveries';
 * ```
 */
export type MetricKey = keyof typeof METRIC_NAMES;

/**
 * The metric names under `prefix`: each of {@link METRIC_NAMES} with {@link DEFAULT_METRIC_PREFIX}
 * replaced by `prefix`.
 *
 * @example
 * ```ts
 * metricNames('video_').deliveries; // 'video_webhook_deliveries_total'
 * ```
 */
export function metricNames(prefix: string): Readonly<Record<MetricKey, string>> {
  const entries = Object.entries(METRIC_NAMES).map(([key, name]) => [
    key,
    prefix + name.slice(DEFAULT_METRIC_PREFIX.length),
  ]);
  return Object.freeze(Object.fromEntries(entries) as Record<MetricKey, string>);
}
