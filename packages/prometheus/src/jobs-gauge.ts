import type { JobState } from '@ai-stats-webhooks/core';
import { Gauge, type Registry } from 'prom-client';

/**
 * Registers the `ai_stats_jobs{kind,status}` gauge on `registry`: the stored jobs, counted from
 * `list()` (a {@link sharedRead} of `jobs().list()`) on every scrape (so it reads every stored job; with a large store, scrape less
 * often). A kind and status with no job left disappear from the next scrape.
 *
 * @example
 * ```ts
 * registerJobsGauge(registry, 'ai_stats_jobs', sharedRead(() => receiver.options.jobs.list()));
 * ```
 */
export function registerJobsGauge(registry: Registry, name: string, list: () => Promise<readonly JobState[]>): void {
  new Gauge({
    name,
    help: 'Stored jobs by kind and status, read from the job store at scrape time.',
    labelNames: ['kind', 'status'] as const,
    registers: [registry],
    async collect() {
      // A failed read keeps the last values; ai_stats_metrics_source_up{source="jobs"} says 0.
      const stored = await list().catch(() => undefined);
      if (stored === undefined) return;
      const counts = new Map<string, { kind: string; status: string; n: number }>();
      for (const job of stored) {
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
