import type { DeliveryReport } from '@ai-stats-webhooks/core';
import { createMinuteSeries, MINUTE_SERIES_DEFAULTS } from './minute-series.js';

export type { MinuteBucket } from './minute-series.js';

/** Receiver-side delivery health, per job and in total: what the recipe's monitoring asks for. */
export interface DeliveryStats {
  received: number;
  processed: number;
  duplicates: number;
  in_flight: number;
  rejected: number;
  failed: number;
  /** Deliveries whose attempt number was above 1: the sender had to retry. */
  retries: number;
  reconciled: number;
  conflicts: number;
  last_status: number | null;
  last_delivery_at: string | null;
  last_failure_at: string | null;
  last_error: string | null;
}

/**
 * Defaults of {@link createDeliveryStats}: per-job figures of the last 10,000 jobs delivered to,
 * and the answers per minute of the last 60 minutes.
 */
export const DELIVERY_STATS_DEFAULTS = Object.freeze({ maxJobs: 10_000, minutes: MINUTE_SERIES_DEFAULTS.minutes });

const empty = (): DeliveryStats => ({
  received: 0,
  processed: 0,
  duplicates: 0,
  in_flight: 0,
  rejected: 0,
  failed: 0,
  retries: 0,
  reconciled: 0,
  conflicts: 0,
  last_status: null,
  last_delivery_at: null,
  last_failure_at: null,
  last_error: null,
});

const OUTCOME_FIELD = {
  processed: 'processed',
  duplicate: 'duplicates',
  in_flight: 'in_flight',
  rejected: 'rejected',
  failed: 'failed',
} as const satisfies Record<DeliveryReport['outcome'], keyof DeliveryStats>;

function count(s: DeliveryStats, report: DeliveryReport, now: string): void {
  s.received++;
  s[OUTCOME_FIELD[report.outcome]]++;
  if ((report.attempt ?? 1) > 1) s.retries++;
  if (report.reconciled) s.reconciled++;
  if (report.conflict) s.conflicts++;
  s.last_status = report.status;
  s.last_delivery_at = now;
  if (report.status >= 400) {
    s.last_failure_at = now;
    s.last_error = report.code ?? `HTTP ${report.status}`;
  }
}

/**
 * Counts every webhook answer (the receiver's `onDelivery`) in total, per job and per minute (the
 * last 60 minutes, for the dashboard's chart). Per-job figures are kept for the `maxJobs` jobs
 * delivered to most recently; the least recently delivered job is dropped first, so memory stays
 * bounded however long the app runs.
 *
 * @example
 * ```ts
 * const stats = createDeliveryStats();
 * const receiver = createReceiver({ secret, onDelivery: stats.record });
 * stats.forJob('G-01KA7Q3M9V2X5C8B4N6D1F0H7J').processed;
 * ```
 */
export function createDeliveryStats(options: { maxJobs?: number; minutes?: number; now?: () => number } = {}) {
  const maxJobs = options.maxJobs ?? DELIVERY_STATS_DEFAULTS.maxJobs;
  if (!Number.isInteger(maxJobs) || maxJobs < 1) {
    throw new RangeError(`maxJobs: expected an integer of at least 1, found ${String(maxJobs)}.`);
  }
  const total = empty();
  const clock = options.now ?? Date.now;
  const minutes = createMinuteSeries({ minutes: options.minutes ?? DELIVERY_STATS_DEFAULTS.minutes, now: clock });
  // A Map iterates in insertion order: re-inserting on every delivery keeps the oldest first.
  const byJob = new Map<string, DeliveryStats>();
  const touch = (jobId: string): DeliveryStats => {
    const stats = byJob.get(jobId) ?? empty();
    byJob.delete(jobId);
    byJob.set(jobId, stats);
    if (byJob.size > maxJobs) byJob.delete(byJob.keys().next().value!);
    return stats;
  };
  const record = (report: DeliveryReport): void => {
    const now = new Date(clock()).toISOString();
    count(total, report, now);
    minutes.record(report.outcome);
    if (report.jobId) count(touch(report.jobId), report, now);
  };
  return {
    record,
    total: () => total,
    forJob: (id: string) => byJob.get(id) ?? empty(),
    /** Answers per minute by outcome over the last `minutes` (60), oldest first, empty ones included. */
    series: () => minutes.snapshot(),
    /** How many minutes have buckets in memory (at most `minutes`). */
    minuteCount: () => minutes.held(),
    /** How many jobs have per-job figures (at most `maxJobs`). */
    jobCount: () => byJob.size,
  };
}
