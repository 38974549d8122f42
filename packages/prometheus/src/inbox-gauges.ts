import { Gauge, type Registry } from 'prom-client';
import type { MetricKey } from './metric-names';

/**
 * The counts the `ai_stats_inbox_*` gauges show: the fields of the PostgreSQL inbox's
 * `InboxStats` they read (`@ai-stats-webhooks/postgres`), so any inbox that counts the same can
 * be passed, and this package needs no database package.
 *
 * @example
 * ```ts
 * const stats: InboxGaugeStats = { pending: 3, oldestPendingMs: 1200, retrying: 1, dead: 0 };
 * ```
 */
export interface InboxGaugeStats {
  /** Deliveries waiting for an attempt: new ones and those waiting for a retry. */
  readonly pending: number;
  /** How long the oldest pending delivery has waited since it was received, in ms; null when none waits. */
  readonly oldestPendingMs: number | null;
  /** The part of `pending` whose processing failed before. */
  readonly retrying: number;
  /** Dead letters: deliveries whose processing failed on every attempt. */
  readonly dead: number;
}

/**
 * What the `inbox` option of `createWebhookMetrics` needs: something that counts its deliveries.
 * The PostgreSQL inbox (`createPostgresInbox`) is one.
 *
 * @example
 * ```ts
 * const inbox: InboxStatsSource = { stats: async () => ({ pending: 0, oldestPendingMs: null, retrying: 0, dead: 0 }) };
 * ```
 */
export interface InboxStatsSource {
  stats(): InboxGaugeStats | PromiseLike<InboxGaugeStats>;
}

/** The inbox gauges, each with the stats field it shows (ms turned into seconds). */
const INBOX_GAUGES: ReadonlyArray<{ key: MetricKey; help: string; value: (stats: InboxGaugeStats) => number }> = [
  {
    key: 'inboxPending',
    help: 'Acknowledged deliveries waiting for the inbox worker: new ones and those waiting for a retry.',
    value: (stats) => stats.pending,
  },
  {
    key: 'inboxOldestPendingAge',
    help: 'How long the oldest pending delivery has waited since it was received; 0 when none waits.',
    value: (stats) => (stats.oldestPendingMs ?? 0) / 1000,
  },
  {
    key: 'inboxRetrying',
    help: 'Pending deliveries whose processing failed before and that wait for a retry.',
    value: (stats) => stats.retrying,
  },
  {
    key: 'inboxDead',
    help: 'Dead letters: deliveries whose processing failed on every attempt; replay them once fixed.',
    value: (stats) => stats.dead,
  },
];

/**
 * Registers the four `ai_stats_inbox_*` gauges on `registry`, read at scrape time through `read`
 * (a {@link sharedRead} of `inbox.stats()`: the four share one call, one query for the PostgreSQL
 * inbox). A failed read keeps the last values.
 *
 * @example
 * ```ts
 * registerInboxGauges(registry, metricNames('ai_stats_'), sharedRead(() => inbox.stats()));
 * ```
 */
export function registerInboxGauges(
  registry: Registry,
  names: Readonly<Record<MetricKey, string>>,
  read: () => Promise<InboxGaugeStats>,
): void {
  for (const { key, help, value } of INBOX_GAUGES) {
    new Gauge({
      name: names[key],
      help,
      registers: [registry],
      async collect() {
        // A failed read keeps the last value; ai_stats_metrics_source_up{source="inbox"} says 0.
        const stats = await read().catch(() => undefined);
        if (stats !== undefined) this.set(value(stats));
      },
    });
  }
}

/**
 * The stats an inbox answered, as numbers: counts given as strings or bigints are converted, a
 * missing `oldestPendingMs` is null; anything else (no object, a count that is not a whole number)
 * fails the read, so the gauges keep their last values and
 * `ai_stats_metrics_source_up{source="inbox"}` says 0, instead of `/metrics` failing or showing a
 * broken inbox as empty.
 *
 * @example
 * ```ts
 * sharedRead(async () => checkedInboxStats(await inbox.stats()));
 * ```
 */
export function checkedInboxStats(stats: unknown): InboxGaugeStats {
  if (typeof stats !== 'object' || stats === null) {
    throw new TypeError(
      `Expected inbox.stats() to answer { pending, oldestPendingMs, retrying, dead }, found ${String(stats)}.`,
    );
  }
  const fields = stats as Record<string, unknown>;
  const age = fields.oldestPendingMs;
  return {
    pending: wholeNumber(fields.pending, 'pending'),
    oldestPendingMs: age === null || age === undefined ? null : wholeNumber(age, 'oldestPendingMs'),
    retrying: wholeNumber(fields.retrying, 'retrying'),
    dead: wholeNumber(fields.dead, 'dead'),
  };
}

function wholeNumber(value: unknown, field: string): number {
  const n = typeof value === 'number' || typeof value === 'string' || typeof value === 'bigint' ? Number(value) : NaN;
  if (Number.isFinite(n) && n >= 0 && (typeof value !== 'string' || value.trim() !== '')) return n;
  throw new TypeError(`Expected inbox.stats().${field} to be a number ≥ 0, found ${String(value).slice(0, 40)}.`);
}
