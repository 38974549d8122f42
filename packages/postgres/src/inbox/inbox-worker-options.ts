import { integerOption, invalidOption, timerOption, type Logger, type Receiver } from '@ai-stats-webhooks/core';
import { toPostgresDriver, type PostgresDatabase, type PostgresDriver } from '../driver/postgres-driver';
import type { PostgresStores } from '../postgres-stores';
import { schemaOption } from '../schema/schema-option';
import { clockOption, createPostgresInbox, type PostgresInbox } from './postgres-inbox';
import type { InboxBackoff } from './retry-schedule';

/** Options of `createInboxWorker`. Give `inbox`, or `db` (and `schema`), or neither when the receiver's stores are Postgres stores. */
export interface InboxWorkerOptions {
  /** The receiver whose handlers run: its `processQueued` does claim → settle → handlers → commit. */
  readonly receiver: Receiver;
  /** `createPostgresStores(…)` on the inbox's database. Default: the receiver's `stores`. */
  readonly stores?: PostgresStores<unknown>;
  /** The inbox the receiver enqueues into (its database, schema and clock are used). */
  readonly inbox?: PostgresInbox;
  /** Without `inbox`: the database (default: the stores' database) … */
  readonly db?: PostgresDatabase;
  /** … and the schema (default: the stores' schema). */
  readonly schema?: string;
  /** Events processed at once by this worker, each in its own transaction (a pooled connection). Default 4. */
  readonly concurrency?: number;
  /** How long a claimed row stays this worker's if the worker dies; then another takes it over. Default 30 s. */
  readonly leaseMs?: number;
  /** Attempts before an event is dead-lettered. Default 10. */
  readonly maxAttempts?: number;
  /** The retry schedule (see `retryDelayMs`). Default `{ baseMs: 10_000, maxMs: 3_600_000 }`. */
  readonly backoff?: Partial<InboxBackoff>;
  /** How often the worker looks for due rows when no notification woke it. Default 1 s. */
  readonly pollIntervalMs?: number;
  /** How long `stop()` waits for the events in flight. Default 30 s. */
  readonly stopTimeoutMs?: number;
  /** `LISTEN` for new rows when the driver can (pg: one pooled connection for good; PGlite). Default true. */
  readonly listen?: boolean;
  /** Default: the receiver's logger. */
  readonly logger?: Logger;
  /** The clock (epoch ms) due times are read with; default the inbox's (the database's). */
  readonly now?: () => number;
  /** The jitter's dice, in [0, 1). Default `Math.random`. */
  readonly random?: () => number;
}

/**
 * Defaults of `createInboxWorker`: with them, an event that keeps failing is retried after about
 * 10 s, 20 s, 40 s, … (each minus up to half, capped at 1 h) and dead-lettered at its 10th
 * failure, roughly 45–85 minutes after the first.
 *
 * @example
 * ```ts
 * createInboxWorker({ receiver, inbox, maxAttempts: INBOX_WORKER_DEFAULTS.maxAttempts * 2 });
 * ```
 */
export const INBOX_WORKER_DEFAULTS = Object.freeze({
  concurrency: 4,
  leaseMs: 30_000,
  maxAttempts: 10,
  backoff: Object.freeze({ baseMs: 10_000, maxMs: 3_600_000 }),
  pollIntervalMs: 1_000,
  stopTimeoutMs: 30_000,
  /** When the job or the event is busy elsewhere, the row is tried again this much later. */
  retryShortlyMs: 250,
});

/** The validated options the worker runs with. */
export interface ResolvedInboxWorkerOptions {
  readonly receiver: Receiver;
  readonly stores: PostgresStores<unknown>;
  readonly driver: PostgresDriver;
  readonly inbox: PostgresInbox;
  readonly concurrency: number;
  readonly leaseMs: number;
  readonly maxAttempts: number;
  readonly backoff: InboxBackoff;
  readonly pollIntervalMs: number;
  readonly stopTimeoutMs: number;
  readonly retryShortlyMs: number;
  readonly listen: boolean;
  readonly logger: Logger;
  readonly clock: () => string | null;
  readonly random: () => number;
}

/**
 * Validates the options of `createInboxWorker` once, with errors that name the option.
 *
 * @example
 * ```ts
 * const opts = resolveInboxWorkerOptions({ receiver, inbox, concurrency: 8 });
 * ```
 */
export function resolveInboxWorkerOptions(options: InboxWorkerOptions): ResolvedInboxWorkerOptions {
  const receiver = receiverOption(options.receiver);
  const stores = storesOption(options.stores ?? receiver.options.stores);
  const inbox = inboxOption(options, stores);
  const defaults = INBOX_WORKER_DEFAULTS;
  const ms = (name: 'leaseMs' | 'pollIntervalMs' | 'stopTimeoutMs', min: number) =>
    timerOption(name, options[name] ?? defaults[name], { min });
  const now = clockOption(options.now);
  return {
    receiver,
    stores,
    driver: inbox.driver,
    inbox,
    concurrency: integerOption('concurrency', options.concurrency ?? defaults.concurrency),
    leaseMs: ms('leaseMs', 100),
    maxAttempts: integerOption('maxAttempts', options.maxAttempts ?? defaults.maxAttempts),
    backoff: backoffOption(options.backoff),
    pollIntervalMs: ms('pollIntervalMs', 10),
    stopTimeoutMs: ms('stopTimeoutMs', 0),
    retryShortlyMs: defaults.retryShortlyMs,
    listen: listenOption(options.listen ?? true, inbox.driver),
    logger: options.logger ?? receiver.options.logger,
    clock: now === undefined ? inbox.clock : () => new Date(now()).toISOString(),
    random: typeof options.random === 'function' ? options.random : Math.random,
  };
}

// A LISTEN holds one connection for good: a pool of one would leave none for the worker's
// transactions and the receiver's acknowledgements, and every delivery would answer 503.
function listenOption(listen: boolean, driver: PostgresDriver<unknown>): boolean {
  const max = driver.maxConnections;
  if (listen && max !== undefined && max < 2) {
    throw invalidOption(
      'db',
      "a pg Pool of at least 2 connections for an inbox worker that listens (its LISTEN holds one for good; size it for the worker's transactions, the LISTEN and the acknowledgements)",
      `max: ${max}. Fix: new Pool({ max: 10 }), or createInboxWorker({ listen: false }) to poll`,
    );
  }
  return listen;
}

function receiverOption(receiver: unknown): Receiver {
  if (typeof (receiver as Receiver | undefined)?.processQueued === 'function') return receiver as Receiver;
  throw invalidOption('receiver', 'a receiver from createReceiver() (with processQueued)', typeof receiver);
}

function storesOption(stores: unknown): PostgresStores<unknown> {
  const candidate = stores as Partial<PostgresStores<unknown>> | undefined;
  if (typeof candidate?.within === 'function' && typeof candidate.schema === 'string') {
    return candidate as PostgresStores<unknown>;
  }
  throw invalidOption(
    'stores',
    'the stores of createPostgresStores() on the inbox database (or a receiver created with them), so that each event runs in the worker transaction',
    stores === undefined ? 'none' : 'other stores',
  );
}

function inboxOption(options: InboxWorkerOptions, stores: PostgresStores<unknown>): PostgresInbox {
  const inbox =
    options.inbox ??
    createPostgresInbox({
      db: toPostgresDriver(options.db ?? stores.driver),
      schema: schemaOption(options.schema ?? stores.schema).name,
    });
  if (typeof inbox.driver?.transaction !== 'function') {
    throw invalidOption('inbox', 'an inbox from createPostgresInbox()', typeof inbox);
  }
  // One schema: a replay clears the done mark in the stores' processed_events.
  if (inbox.schema !== stores.schema) {
    throw invalidOption('inbox', `an inbox in the stores' schema "${stores.schema}"`, `"${inbox.schema}"`);
  }
  return inbox;
}

function backoffOption(backoff: Partial<InboxBackoff> | undefined): InboxBackoff {
  const defaults = INBOX_WORKER_DEFAULTS.backoff;
  const baseMs = timerOption('backoff.baseMs', backoff?.baseMs ?? defaults.baseMs);
  const maxMs = timerOption('backoff.maxMs', backoff?.maxMs ?? Math.max(defaults.maxMs, baseMs), { min: baseMs });
  return { baseMs, maxMs };
}
