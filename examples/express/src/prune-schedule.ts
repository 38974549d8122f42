/** What {@link schedulePrune} deletes: the inbox's old done rows and the expired done marks. */
export interface PruneTargets {
  /** `inbox.prune()`: done inbox rows older than 7 days (a body each, up to 1 MiB). */
  readonly inbox?: { prune(): Promise<number> };
  /** `stores.dedupe.prune()`: processed_events rows whose TTL (24 h) ran out. */
  readonly dedupe?: { prune(): Promise<number> };
}

/** Defaults of {@link schedulePrune}: a first pass a minute after start-up, then every hour. */
export const PRUNE_SCHEDULE_DEFAULTS = Object.freeze({ firstAfterMs: 60_000, intervalMs: 3_600_000 });

/**
 * Deletes what the database no longer needs, on a timer: without it, done inbox rows and
 * processed_events grow for as long as the app runs. One pass at a time, `firstAfterMs` after
 * start-up (so that an app restarted often still prunes) and then every `intervalMs`; the timers
 * are unref'd (they never keep the process alive). A failing pass is logged and the next one tries
 * again. `stop()` clears the timers and waits for a pass in progress, so the database can be
 * closed after it.
 *
 * @example
 * ```ts
 * const pruning = schedulePrune({ inbox, dedupe: stores.dedupe });
 * process.once('SIGTERM', async () => { await pruning.stop(); await pool.end(); });
 * ```
 */
export function schedulePrune(
  targets: PruneTargets,
  options: { firstAfterMs?: number; intervalMs?: number; logger?: Pick<Console, 'error'> } = {},
): { stop(): Promise<void> } {
  const { firstAfterMs, intervalMs } = { ...PRUNE_SCHEDULE_DEFAULTS, ...options };
  const logger = options.logger ?? console;
  let running: Promise<void> | undefined;
  const pass = () => {
    running ??= prunePass(targets, logger).finally(() => (running = undefined));
  };
  let interval: NodeJS.Timeout | undefined;
  const first = setTimeout(() => {
    pass();
    interval = setInterval(pass, intervalMs).unref();
  }, firstAfterMs).unref();
  return {
    async stop() {
      clearTimeout(first);
      clearInterval(interval);
      await running;
    },
  };
}

async function prunePass(targets: PruneTargets, logger: Pick<Console, 'error'>): Promise<void> {
  for (const [name, target] of Object.entries(targets) as [string, PruneTargets['inbox']][]) {
    try {
      await target?.prune();
    } catch (error) {
      logger.error(`prune of the ${name} failed (the next pass tries again): ${(error as Error).message}`);
    }
  }
}
