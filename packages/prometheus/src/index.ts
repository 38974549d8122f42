export { createWebhookMetrics } from './create-webhook-metrics';
export type { WebhookMetrics, WebhookMetricsOptions } from './create-webhook-metrics';
export { DEFAULT_METRIC_PREFIX, METRIC_NAMES, metricNames } from './metric-names';
export type { MetricKey } from './metric-names';
export type { InboxGaugeStats, InboxStatsSource } from './inbox-gauges';
