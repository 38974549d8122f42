/** The mock gateway's timers and in-flight work, so tests can wait until it is idle. */
export interface MockScheduler {
  /** Counts `work` as in flight until it settles. */
  readonly track: <T>(work: Promise<T>) => Promise<T>;
  /** Runs `run` after `realMs` real milliseconds, unless the scheduler is closed by then. */
  readonly later: (realMs: number, run: () => void) => void;
  /** Resolves when no timer is pending and no tracked work is in flight. */
  idle(): Promise<void>;
  /** Cancels every pending timer; later calls to `later` do nothing. */
  close(): void;
}

/**
 * The scheduler of a mock gateway: every lifecycle step and delivery retry is a `later`, every
 * delivery a `track`ed promise, and `idle()` resolves once both counts reach zero.
 *
 * @example
 * ```ts
 * const scheduler = createMockScheduler();
 * scheduler.later(10, () => console.log('step'));
 * await scheduler.idle(); // after 'step'
 * ```
 */
export function createMockScheduler(): MockScheduler {
  const timers = new Set<ReturnType<typeof setTimeout>>();
  let inflight = 0;
  let waiters: (() => void)[] = [];
  let closed = false;
  const checkIdle = () => {
    if (timers.size > 0 || inflight > 0) return;
    const ready = waiters;
    waiters = [];
    for (const resolve of ready) resolve();
  };
  return {
    track: async (work) => {
      inflight++;
      try {
        return await work;
      } finally {
        inflight--;
        checkIdle();
      }
    },
    later: (realMs, run) => {
      if (closed) return;
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (!closed) run();
        checkIdle();
      }, realMs);
      timers.add(timer);
    },
    idle: () =>
      new Promise<void>((resolve) => {
        waiters.push(resolve);
        checkIdle();
      }),
    close: () => {
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      checkIdle();
    },
  };
}
