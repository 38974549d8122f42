import { explainMissingSchema } from '../schema/explain-missing-schema';
import { schemaOption } from '../schema/schema-option';
import { describeFailure } from './describe-failure';
import { createInboxPump, type InboxPump, type InboxWorkerCounts } from './inbox-pump';
import { inboxSql, type InboxSql } from './inbox-sql';
import {
  resolveInboxWorkerOptions,
  type InboxWorkerOptions,
  type ResolvedInboxWorkerOptions,
} from './inbox-worker-options';
import { createInboxListener, createWakeSignal, type InboxListener, type WakeSignal } from './inbox-wake';

/** What `stop()` did: events that finished while it waited, and claims it gave back. */
export interface InboxStopResult {
  /** Events still running when the timeout came (they end on their own, or roll back with the connection). */
  readonly abandoned: number;
  /** Rows handed back to pending (claimed, not started). */
  readonly released: number;
}

/**
 * What `drain()` did: the outcomes of the events it ran, whether it ran out of time, and (as
 * `stop()` says) the events still running at its deadline and the claims it gave back then.
 */
export interface InboxDrainResult extends InboxWorkerCounts, InboxStopResult {
  readonly timedOut: boolean;
}

/** A worker of inbox mode; see {@link createInboxWorker}. */
export interface InboxWorker {
  /** Starts the loop (and the `LISTEN`); resolves once it runs. */
  start(): Promise<void>;
  /** Stops claiming, waits up to `timeoutMs` (default `stopTimeoutMs`) for the events in flight, then releases what it still holds. */
  stop(options?: { readonly timeoutMs?: number }): Promise<InboxStopResult>;
  /**
   * On a stopped worker: processes until nothing is due, or until `timeoutMs` (default 60 s) ran
   * out: then it resolves `timedOut` at once, with the events still running as `abandoned` (a
   * hung handler is not waited for), and the worker is stopped again.
   */
  drain(options?: { readonly timeoutMs?: number }): Promise<InboxDrainResult>;
  /** Outcomes since the worker was created. */
  readonly counts: Readonly<InboxWorkerCounts>;
  readonly running: boolean;
}

interface WorkerParts {
  readonly opts: ResolvedInboxWorkerOptions;
  readonly sql: InboxSql;
  readonly signal: WakeSignal;
  readonly pump: InboxPump;
}

/**
 * The inbox worker: claims due rows of the inbox with `SELECT … FOR UPDATE SKIP LOCKED` (so any
 * number of workers, on any number of instances, take different rows) under a lease, and runs
 * each event in ONE transaction: `receiver.processQueued(entry, stores.within(tx))` (claim →
 * settle → handlers → commit, the handlers' `context.tx` being that transaction) and the row's
 * `done` commit together. A failure (a handler throws, the Video API answers 5xx/408/429 during
 * reconciliation) rolls that back and schedules a retry with exponential backoff and jitter (at
 * least the API's `Retry-After`); after `maxAttempts` the row is dead with its last error. Events
 * of one job never run at the same time (an advisory lock per job). A worker that dies leaves its
 * rows in `processing`; their lease expires and another worker takes them over. `LISTEN/NOTIFY`
 * wakes it when a row arrives; it polls every `pollIntervalMs` as well.
 *
 * @example
 * ```ts
 * const stores = createPostgresStores({ db: pool });
 * const inbox = createPostgresInbox({ db: pool });
 * const receiver = createReceiver({ secret, stores, inbox });
 * receiver.on('video.completed', async ({ job, tx }) => saveVideo(tx, job));
 * const worker = createInboxWorker({ receiver, inbox, concurrency: 4 });
 * await worker.start();
 * process.once('SIGTERM', () => void worker.stop());
 * ```
 */
export function createInboxWorker(options: InboxWorkerOptions): InboxWorker {
  const opts = resolveInboxWorkerOptions(options);
  const schema = schemaOption(opts.inbox.schema).sql;
  const sql = inboxSql(`${schema}.inbox`, `${schema}.processed_events`);
  const signal = createWakeSignal();
  const parts: WorkerParts = { opts, sql, signal, pump: createInboxPump(opts, sql, signal) };
  let state: 'stopped' | 'running' | 'stopping' | 'draining' = 'stopped';
  let loop: Promise<void> | undefined;
  let listener: InboxListener | undefined;
  let generation = 0; // a loop that outlived a timed-out stop() ends when it sees a newer start()
  return {
    async start() {
      if (state !== 'stopped') throw new Error(`Expected a stopped inbox worker to start, found it ${state}.`);
      state = 'running';
      listener = createInboxListener(opts.driver, opts.inbox.channel, signal, opts.logger, { enabled: opts.listen });
      await listener.ensure();
      const current = ++generation;
      loop = runLoop(parts, listener, () => state === 'running' && generation === current);
    },
    async stop(stopOptions = {}) {
      if (state !== 'running') return { abandoned: 0, released: 0 };
      state = 'stopping';
      signal.wake();
      const deadline = Date.now() + (stopOptions.timeoutMs ?? opts.stopTimeoutMs);
      await within(Promise.all([loop, listener?.close()]), deadline);
      const result = await finishInFlight(parts, deadline, 'stopped');
      state = 'stopped';
      return result;
    },
    async drain(drainOptions = {}) {
      if (state !== 'stopped')
        throw new Error(`Expected a stopped inbox worker to drain, found it ${state}; stop() it first.`);
      state = 'draining';
      try {
        return await drainInbox(parts, drainOptions.timeoutMs ?? 60_000);
      } finally {
        state = 'stopped';
      }
    },
    counts: parts.pump.counts,
    get running() {
      return state === 'running';
    },
  };
}

// Resolves true when `work` settled before `deadline` (Date.now()), false when the deadline came first.
async function within(work: Promise<unknown>, deadline: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), Math.max(0, deadline - Date.now()));
    timer.unref?.();
  });
  const settled = work.then(
    () => true as const,
    () => true as const,
  );
  const result = await Promise.race([settled, late]);
  clearTimeout(timer);
  return result;
}

// Claim while there are free slots and due rows; else wait for a wake-up (a notification, an event
// that ended, stop()) or the poll interval. A failing claim (the database is down) backs off.
async function runLoop(
  { opts, signal, pump }: WorkerParts,
  listener: InboxListener,
  running: () => boolean,
): Promise<void> {
  let failures = 0;
  while (running()) {
    await listener.ensure();
    let claimed: number;
    try {
      claimed = await pump.fill();
      failures = 0;
    } catch (error) {
      failures++;
      if (failures === 1 || failures % 30 === 0) {
        opts.logger.error?.('inbox worker could not claim rows; retrying', { failures, cause: describeFailure(error) });
      }
      await signal.wait(Math.min(opts.pollIntervalMs * 2 ** Math.min(failures - 1, 5), 30_000));
      continue;
    }
    if (claimed > 0 && pump.inFlight < opts.concurrency) continue;
    await signal.wait(opts.pollIntervalMs);
  }
}

// Stop (and the end of a drain): wait for the events in flight until the deadline, then hand back
// the claims not started. An event still running is left to end on its own.
async function finishInFlight(
  { opts, sql, pump }: WorkerParts,
  deadline: number,
  ending: 'stopped' | 'drained',
): Promise<InboxStopResult> {
  if (await within(pump.settled(), deadline)) return { abandoned: 0, released: 0 };
  const abandoned = pump.inFlight;
  let released = 0;
  try {
    const db = explainMissingSchema(opts.driver, opts.inbox.schema);
    released = (await db.query(sql.release, [opts.clock(), pump.tokens()])).rows.length;
  } catch (error) {
    opts.logger.warn?.('inbox worker could not release its claims; their leases expire', {
      cause: describeFailure(error),
    });
  }
  opts.logger.warn?.(`inbox worker ${ending} with ${abandoned} event(s) still running`, { abandoned, released });
  return { abandoned, released };
}

// Until a claim finds nothing and nothing runs; a row put back as busy a moment ago is waited for.
async function drainInbox(parts: WorkerParts, timeoutMs: number): Promise<InboxDrainResult> {
  const { opts, signal, pump } = parts;
  const before = { ...pump.counts };
  const deadline = Date.now() + timeoutMs;
  let timedOut = true;
  let ended: InboxStopResult;
  try {
    while (Date.now() < deadline) {
      const claimed = await pump.fill();
      if (claimed === 0 && pump.inFlight === 0) {
        if (Date.now() - pump.lastBusyAt > 2 * opts.retryShortlyMs) {
          timedOut = false;
          break;
        }
        await signal.wait(opts.retryShortlyMs, { keepAlive: true });
      } else if (claimed === 0 || pump.inFlight >= opts.concurrency) {
        await signal.wait(opts.pollIntervalMs, { keepAlive: true });
      }
    }
  } finally {
    // Bounded by the deadline: a handler that hangs must not keep drain() (and the worker) waiting.
    ended = await finishInFlight(parts, deadline, 'drained');
  }
  const counts = Object.fromEntries(
    Object.entries(pump.counts).map(([key, value]) => [key, value - before[key as keyof InboxWorkerCounts]]),
  ) as unknown as InboxWorkerCounts;
  return { ...counts, ...ended, timedOut };
}
