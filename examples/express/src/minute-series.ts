import type { DeliveryReport } from '@ai-stats-webhooks/core';

/** Answers of the webhook route in one minute, by outcome. */
export interface MinuteBucket {
  /** Start of the minute (ISO-8601). */
  minute: string;
  processed: number;
  duplicate: number;
  in_flight: number;
  rejected: number;
  failed: number;
}

/** Defaults of {@link createMinuteSeries}: the last 60 minutes. */
export const MINUTE_SERIES_DEFAULTS = Object.freeze({ minutes: 60 });

const MINUTE_MS = 60_000;

const emptyBucket = (index: number): MinuteBucket => ({
  minute: new Date(index * MINUTE_MS).toISOString(),
  processed: 0,
  duplicate: 0,
  in_flight: 0,
  rejected: 0,
  failed: 0,
});

/**
 * Webhook answers per minute by outcome over the last `minutes` minutes, for the dashboard's
 * chart. At most `minutes` buckets are held (older minutes are dropped as time moves on), so
 * memory stays bounded however long the app runs.
 *
 * @example
 * ```ts
 * const series = createMinuteSeries({ minutes: 60 });
 * series.record('processed');
 * series.snapshot().at(-1)?.processed; // 1
 * ```
 */
export function createMinuteSeries(options: { minutes?: number; now?: () => number } = {}) {
  const size = options.minutes ?? MINUTE_SERIES_DEFAULTS.minutes;
  if (!Number.isInteger(size) || size < 1) {
    throw new RangeError(`minutes: expected an integer of at least 1, found ${String(size)}.`);
  }
  const now = options.now ?? Date.now;
  const buckets = new Map<number, MinuteBucket>();
  const prune = (current: number) => {
    for (const index of buckets.keys()) if (index <= current - size) buckets.delete(index);
  };
  return {
    /** Counts one answer in the current minute. */
    record(outcome: DeliveryReport['outcome']): void {
      const index = Math.floor(now() / MINUTE_MS);
      prune(index);
      const bucket = buckets.get(index) ?? emptyBucket(index);
      bucket[outcome]++;
      buckets.set(index, bucket);
    },
    /** Every minute of the window, oldest first, empty minutes included (copies). */
    snapshot(): MinuteBucket[] {
      const current = Math.floor(now() / MINUTE_MS);
      prune(current);
      return Array.from({ length: size }, (_, i) => {
        const index = current - size + 1 + i;
        return { ...(buckets.get(index) ?? emptyBucket(index)) };
      });
    },
    /** How many minutes have buckets in memory (at most `minutes`). */
    held: () => buckets.size,
  };
}

/** What {@link createMinuteSeries} returns. */
export type MinuteSeries = ReturnType<typeof createMinuteSeries>;
