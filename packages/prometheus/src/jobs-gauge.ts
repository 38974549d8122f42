import type { JobCount } from '@ai-stats-webhooks/core';
import { Gauge, type Registry } from 'prom-client';

/**
 * Registers the `ai_stats_jobs{kind,status}` gauge on `registry`: the stored jobs per kind and
 * status, from `count` (a {@link sharedRead} of `countJobs(jobs())`) on every scrape. With a store
 * that has `countByStatus` (memory, Redis, PostgreSQL) that is one count per scrape (one
 * `group by` query in PostgreSQL); a store without it is counted from `list()`, which reads every
 * stored job. A kind and status with no job left disappear from the next scrape.
 *
 * @example
 * ```ts
 * registerJobsGauge(registry, 'ai_stats_jobs', sharedRead(() => countJobs(receiver.options.jobs)));
 * ```
 */
export function registerJobsGauge(registry: Registry, name: string, count: () => Promise<readonly JobCount[]>): void {
  new Gauge({
    name,
    help: 'Stored jobs by kind and status, read from the job store at scrape time.',
    labelNames: ['kind', 'status'] as const,
    registers: [registry],
    async collect() {
      // A failed read keeps the last values; ai_stats_metrics_source_up{source="jobs"} says 0.
      const counts = await count().catch(() => undefined);
      if (counts === undefined) return;
      this.reset();
      // inc, not set: a store that answers one pair twice is summed.
      for (const { kind, status, count: n } of counts) if (n > 0) this.inc({ kind, status }, n);
    },
  });
}

/**
 * The counts a job store answered, as numbers: a count a custom store gives as a string or a bigint
 * (PostgreSQL's `count(*)` through `pg`) is converted; one that is not a count at all fails the read,
 * so the gauge keeps its last values and `ai_stats_metrics_source_up{source="jobs"}` says 0, instead
 * of `/metrics` failing.
 *
 * @example
 * ```ts
 * sharedRead(async () => checkedJobCounts(await countJobs(receiver.options.jobs)));
 * ```
 */
export function checkedJobCounts(counts: readonly JobCount[]): JobCount[] {
  return counts.map(({ kind, status, count }) => {
    const n = Number(count);
    if (!Number.isSafeInteger(n) || n < 0) {
      throw new TypeError(
        `Expected countByStatus() to answer whole numbers, found ${String(count).slice(0, 40)} for ${kind} ${status}.`,
      );
    }
    return { kind, status, count: n };
  });
}
