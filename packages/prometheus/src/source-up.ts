import { Gauge, type Registry } from 'prom-client';

/**
 * One read of a source per scrape: prom-client collects every metric of a scrape at once, so the
 * gauges that read the same source (and its `…_source_up` line) share the call that is in flight.
 *
 * @example
 * ```ts
 * const readStats = sharedRead(() => inbox.stats());
 * ```
 */
export function sharedRead<T>(read: () => T | PromiseLike<T>): () => Promise<T> {
  let reading: Promise<T> | undefined;
  return () =>
    (reading ??= Promise.resolve()
      .then(read)
      .finally(() => {
        reading = undefined;
      }));
}

/**
 * Registers `ai_stats_metrics_source_up{source}`: 1 when the source (`jobs`, `inbox`) answered this
 * scrape, 0 when its read failed. A failed read never fails the scrape: the source's gauges keep
 * their last values and this line says they are stale (alert on it), so the delivery counters are
 * still scraped during a database outage, when they matter most.
 *
 * @example
 * ```ts
 * registerSourceUp(registry, 'ai_stats_metrics_source_up', { inbox: readStats });
 * ```
 */
export function registerSourceUp(
  registry: Registry,
  name: string,
  sources: Readonly<Record<string, () => Promise<unknown>>>,
): void {
  new Gauge({
    name,
    help: 'Whether each source of scrape-time gauges (jobs, inbox) answered this scrape: 1, or 0 when the gauges show the last values read.',
    labelNames: ['source'] as const,
    registers: [registry],
    async collect() {
      for (const [source, read] of Object.entries(sources)) {
        this.set(
          { source },
          await read().then(
            () => 1,
            () => 0,
          ),
        );
      }
    },
  });
}
