import { integerOption, invalidOption, type Inbox } from '@ai-stats-webhooks/core';
import { toPostgresDriver, type PostgresDriver, type PostgresQueryable } from '../driver/postgres-driver';
import type { PostgresStoreBaseOptions } from '../dedupe/postgres-dedupe-store';
import { explainMissingSchema } from '../schema/explain-missing-schema';
import { schemaOption } from '../schema/schema-option';
import { toInboxRecord, type InboxRecord, type InboxStatus, type RecordSqlRow } from './inbox-row';
import { createInboxNotifier } from './inbox-notifier';
import { inboxSql, type InboxSql } from './inbox-sql';

/** Options of {@link createPostgresInbox}. */
export interface PostgresInboxOptions extends PostgresStoreBaseOptions {
  /** The clock due times are written with (tests); default the database's clock. Give the worker the same one. */
  readonly now?: () => number;
}

/** What `inbox.stats()` counts. `retrying` is the part of `pending` that failed before. */
export interface InboxStats {
  /** Rows waiting for an attempt: new ones and those waiting for a retry. */
  readonly pending: number;
  /** How long the oldest pending row has waited since it was received, in ms; null when none waits. */
  readonly oldestPendingMs: number | null;
  readonly retrying: number;
  readonly processing: number;
  readonly dead: number;
  readonly done: number;
}

/** What `inbox.replay(eventId)` did: `status` is the row's status before (undefined: no such event). */
export interface InboxReplayResult {
  readonly replayed: boolean;
  readonly status: InboxStatus | undefined;
}

/** The inbox in PostgreSQL or PGlite: `enqueue` for the receiver, and the operations. */
export interface PostgresInbox extends Inbox {
  /** The database, for the worker. */
  readonly driver: PostgresDriver;
  readonly schema: string;
  /** The `LISTEN` channel `enqueue` notifies. */
  readonly channel: string;
  /** The clock as an SQL parameter: an ISO time when `now` was given, else null (the database's clock). */
  readonly clock: () => string | null;
  stats(): Promise<InboxStats>;
  /** Rows newest first (default: every status, 50). */
  list(options?: { readonly status?: InboxStatus; readonly limit?: number }): Promise<InboxRecord[]>;
  /** A dead or done row back to pending with its attempts reset; a done one's handlers run again. */
  replay(eventId: string): Promise<InboxReplayResult>;
  /** Every dead row back to pending with its attempts reset; resolves how many. */
  retryDead(): Promise<number>;
  /** Deletes done rows processed more than `olderThanMs` ago (default 7 days); resolves how many. */
  prune(options?: { readonly olderThanMs?: number }): Promise<number>;
}

/**
 * Defaults of {@link createPostgresInbox}: `list` gives 50 rows, `prune` keeps 7 days of done rows
 * and deletes in batches of 1,000.
 *
 * @example
 * ```ts
 * await inbox.prune({ olderThanMs: POSTGRES_INBOX_DEFAULTS.retentionMs * 2 });
 * ```
 */
export const POSTGRES_INBOX_DEFAULTS = Object.freeze({ listLimit: 50, retentionMs: 7 * 86_400_000, pruneBatch: 1_000 });

const STATUSES: readonly InboxStatus[] = ['pending', 'processing', 'done', 'dead'];

/**
 * The inbox of inbox mode in `<schema>.inbox`. `enqueue` is ONE statement, `INSERT … ON CONFLICT
 * (event_id) DO NOTHING`: it resolves once PostgreSQL committed it (so the receiver's 200 stands
 * for a stored delivery), `{ duplicate: true }` when the event id was there already, and rejects
 * when it could not be stored (the receiver answers 503); a new row then wakes the workers with a
 * `NOTIFY` of its own (see `createInboxNotifier`). Then
 * `createInboxWorker` processes the rows; `stats`, `list`, `replay`, `retryDead` and `prune` are
 * the operations (and the `ai-stats-webhooks inbox` CLI). Run `migrate(db)` first.
 *
 * @example
 * ```ts
 * const inbox = createPostgresInbox({ db: pool });
 * const receiver = createReceiver({ secret, stores: createPostgresStores({ db: pool }), inbox });
 * const worker = createInboxWorker({ receiver, inbox });
 * await worker.start();
 * ```
 */
export function createPostgresInbox(options: PostgresInboxOptions): PostgresInbox {
  const driver = toPostgresDriver(options.db);
  const schema = schemaOption(options.schema);
  const now = clockOption(options.now);
  const clock = () => (now === undefined ? null : new Date(now()).toISOString());
  const db = explainMissingSchema(driver, schema.name);
  const sql = inboxSql(`${schema.sql}.inbox`, `${schema.sql}.processed_events`);
  const channel = inboxChannel(schema.name);
  const notify = createInboxNotifier(driver, channel);
  return {
    driver,
    schema: schema.name,
    channel,
    clock,
    async enqueue(entry) {
      const { rows } = await db.query(sql.enqueue, [
        clock(),
        entry.eventId,
        entry.dedupeKey,
        entry.type,
        entry.jobId,
        entry.attempt,
        entry.prefix,
        entry.legacy,
        entry.body,
        entry.receivedAt.toISOString(),
      ]);
      if (rows.length === 0) return { duplicate: true };
      notify();
      return { duplicate: false };
    },
    stats: () => readStats(db, sql, clock()),
    list: (listOptions = {}) => listRows(db, sql, listOptions),
    async replay(eventId) {
      const result = await replayRow(db, sql, clock(), eventId);
      if (result.replayed) notify();
      return result;
    },
    async retryDead() {
      const moved = (await db.query(sql.retryDead, [clock()])).rows.length;
      if (moved > 0) notify();
      return moved;
    },
    prune: (pruneOptions = {}) => pruneRows(db, sql, clock(), pruneOptions.olderThanMs),
  };
}

/**
 * The `LISTEN` channel of a schema's inbox: `<schema>_inbox`, cut to 63 characters.
 *
 * @example
 * ```ts
 * inboxChannel('ai_stats_webhooks'); // 'ai_stats_webhooks_inbox'
 * ```
 */
export function inboxChannel(schema: string): string {
  return `${schema}_inbox`.slice(0, 63);
}

/**
 * Validates a `now` clock option (a function returning epoch milliseconds), or undefined.
 *
 * @example
 * ```ts
 * const now = clockOption(options.now); // undefined: the database's clock
 * ```
 */
export function clockOption(now: unknown): (() => number) | undefined {
  if (now === undefined || typeof now === 'function') return now as (() => number) | undefined;
  throw invalidOption('now', 'a function returning epoch milliseconds', typeof now);
}

interface StatsRow {
  readonly pending: number;
  readonly retrying: number;
  readonly processing: number;
  readonly dead: number;
  readonly done: number;
  readonly oldest_pending_ms: number | string | null;
}

async function readStats(db: PostgresQueryable, sql: InboxSql, clock: string | null): Promise<InboxStats> {
  const row = (await db.query<StatsRow>(sql.stats, [clock])).rows[0]!;
  const oldest = row.oldest_pending_ms === null ? null : Math.max(0, Math.round(Number(row.oldest_pending_ms)));
  return {
    pending: Number(row.pending),
    oldestPendingMs: oldest,
    retrying: Number(row.retrying),
    processing: Number(row.processing),
    dead: Number(row.dead),
    done: Number(row.done),
  };
}

async function listRows(
  db: PostgresQueryable,
  sql: InboxSql,
  options: { readonly status?: InboxStatus; readonly limit?: number },
): Promise<InboxRecord[]> {
  const status = options.status ?? null;
  if (status !== null && !STATUSES.includes(status)) {
    throw invalidOption('status', STATUSES.map((s) => `"${s}"`).join(', '), JSON.stringify(String(status)));
  }
  const limit = integerOption('limit', options.limit ?? POSTGRES_INBOX_DEFAULTS.listLimit, { min: 0 });
  const { rows } = await db.query<RecordSqlRow>(sql.list, [status, limit]);
  return rows.map(toInboxRecord);
}

async function replayRow(
  db: PostgresQueryable,
  sql: InboxSql,
  clock: string | null,
  eventId: string,
): Promise<InboxReplayResult> {
  const row = (await db.query<{ status: InboxStatus; replayed: number }>(sql.replay, [clock, eventId])).rows[0];
  return { replayed: Number(row?.replayed ?? 0) > 0, status: row?.status };
}

// Batches until one comes back short; at most 10,000 batches (10 million rows) per call.
async function pruneRows(
  db: PostgresQueryable,
  sql: InboxSql,
  clock: string | null,
  olderThanMs: number | undefined,
): Promise<number> {
  const age = integerOption('olderThanMs', olderThanMs ?? POSTGRES_INBOX_DEFAULTS.retentionMs, {
    min: 0,
    unit: 'milliseconds',
  });
  const { pruneBatch } = POSTGRES_INBOX_DEFAULTS;
  let deleted = 0;
  for (let batch = 0; batch < 10_000; batch++) {
    const { rows } = await db.query(sql.prune, [clock, age, pruneBatch]);
    deleted += rows.length;
    if (rows.length < pruneBatch) break;
  }
  return deleted;
}
