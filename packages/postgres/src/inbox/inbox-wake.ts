import type { Logger } from '@ai-stats-webhooks/core';
import type { PostgresDriver, PostgresListener } from '../driver/postgres-driver';
import { describeFailure } from './describe-failure';

/** What wakes a waiting worker loop: a notification, a finished event, a timer, `stop()`. */
export interface WakeSignal {
  wake(): void;
  /** Wakes the loop in `ms` (an unref'd timer). */
  wakeIn(ms: number): void;
  /**
   * Resolves at the next `wake()` (at once when one came since the last wait), or after `ms`. The
   * timer is unref'd unless `keepAlive` (for `drain()`, which a caller awaits: an unref'd timer
   * would let the process exit in the middle of it).
   */
  wait(ms: number, options?: { readonly keepAlive?: boolean }): Promise<void>;
}

/**
 * A sticky wake-up: a `wake()` that comes while nobody waits is kept for the next `wait`, so no
 * notification is lost between "found nothing" and "wait". Timers are unref'd (see `wait`).
 *
 * @example
 * ```ts
 * const signal = createWakeSignal();
 * await signal.wait(1_000); // a second, or until signal.wake()
 * ```
 */
export function createWakeSignal(): WakeSignal {
  let woken = false;
  let resolveWait: (() => void) | undefined;
  const wake = () => {
    woken = true;
    resolveWait?.();
  };
  return {
    wake,
    wakeIn(ms) {
      setTimeout(wake, ms).unref?.();
    },
    wait(ms, { keepAlive = false } = {}) {
      if (woken) {
        woken = false;
        return Promise.resolve();
      }
      return new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          resolveWait = undefined;
          woken = false;
          resolve();
        };
        const timer = setTimeout(done, ms);
        if (!keepAlive) timer.unref?.();
        resolveWait = done;
      });
    },
  };
}

/** The worker's `LISTEN`: opened and re-opened by `ensure()`, ended by `close()`. */
export interface InboxListener {
  /** Opens the `LISTEN` when it is not open, at most once per `retryMs`; never throws. */
  ensure(): Promise<void>;
  close(): Promise<void>;
}

/**
 * `LISTEN` on the inbox channel through the driver (pg: a pooled connection of its own; PGlite:
 * in process), waking `signal` on every notification. When the connection is lost (a server
 * restart) the loop is woken and polls until `ensure()` can listen again. Without `listen` on the
 * driver (or with `enabled` false), it does nothing: polling alone.
 *
 * @example
 * ```ts
 * const listener = createInboxListener(driver, 'ai_stats_webhooks_inbox', signal, logger);
 * await listener.ensure();
 * ```
 */
export function createInboxListener(
  driver: PostgresDriver,
  channel: string,
  signal: WakeSignal,
  logger: Logger,
  { enabled = true, retryMs = 5_000 }: { readonly enabled?: boolean; readonly retryMs?: number } = {},
): InboxListener {
  let listener: PostgresListener | undefined;
  let lastTry = Number.NEGATIVE_INFINITY;
  let closed = false;
  const onLost = (error?: Error) => {
    listener = undefined;
    logger.warn?.('the inbox LISTEN connection ended; polling until it is back', { cause: describeFailure(error) });
    signal.wake();
  };
  return {
    async ensure() {
      if (!enabled || closed || listener !== undefined || driver.listen === undefined) return;
      if (Date.now() - lastTry < retryMs) return;
      lastTry = Date.now();
      try {
        const opened = await driver.listen(channel, { onNotify: () => signal.wake(), onLost });
        if (closed) await opened.close();
        else listener = opened;
        signal.wake(); // rows may have come while nobody listened
      } catch (error) {
        logger.debug?.('could not LISTEN for the inbox; polling', { cause: describeFailure(error) });
      }
    },
    async close() {
      closed = true;
      const open = listener;
      listener = undefined;
      await open?.close();
    },
  };
}
