import { integerOption, invalidOption, type Inbox, type InboxEntry } from '@ai-stats-webhooks/core';
import { toPostgresDriver, type PostgresDriver, type PostgresQueryable } from '../driver/postgres-driver';
import type { PostgresStoreBaseOptions } from '../dedupe/postgres-dedupe-store';
import { explainMissingSchema } from '../schema/explain-missing-schema';
import { schemaOption } from '../schema/schema-option';
import { toInboxRecord, type InboxRecord, type InboxStatus, type RecordSqlRow } from './inbox-row';
import { createInboxNotifier } from './inbox-notifier';
import { groupCommit } from './group-commit';
import { ENQUEUE_ROW_PARAMS, inboxSql, type InboxSql } from './inbox-sql';

/** Options of {@link createPostgresInbox}. */
export interface PostgresInboxOptions extends PostgresStoreBaseOptions {
  /** The clock due times are written with (tests); default the database's clock. Give the worker the same one. */
  readonly now?: () => number;
  /**
   * Group commit: the most deliveries one `INSERT` (one commit, one WAL flush) stores together.
   * The `enqueue` calls of one event-loop turn go together, at the end of that turn (no timer);
   * those that arrive while an `INSERT` is in flight go in the next. Default 100; 1 turns batching
   * off (one statement per delivery).
   */
  readonly maxBatch?: number;
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

/**
 * What `inbox.replay(eventId)` did: `status` is the row's status before (undefined: no such
 * event); a replay that waited for a concurrent replay of the row sees the status that one left
 * (`pending`), and `replayed: false`.
 */
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
  /**
   * A dead or done row back to pending with its attempts reset; a done one's done mark is deleted,
   * so its handlers run again. A dead one keeps its done mark if another path (an inline receiver
   * on the same stores) processed the event meanwhile: it is then answered duplicate.
   */
  replay(eventId: string): Promise<InboxReplayResult>;
  /** Every dead row back to pending with its attempts reset; resolves how many. */
  retryDead(): Promise<number>;
  /** Deletes done rows processed more than `olderThanMs` ago (default 7 days); resolves how many. */
  prune(options?: { readonly olderThanMs?: number }): Promise<number>;
}

/**
 * Defaults of {@link createPostgresInbox}: `enqueue` stores at most 100 deliveries per statement,
 * `list` gives 50 rows, `prune` keeps 7 days of done rows and deletes in batches of 1,000.
 *
 * @example
 * ```ts
 * await inbox.prune({ olderThanMs: POSTGRES_INBOX_DEFAULTS.retentionMs * 2 });
 * ```
 */
export const POSTGRES_INBOX_DEFAULTS = Object.freeze({
  maxBatch: 100,
  listLimit: 50,
  retentionMs: 7 * 86_400_000,
  pruneBatch: 1_000,
});

const STATUSES: readonly InboxStatus[] = ['pending', 'processing', 'done', 'dead'];

/**
 * The inbox of inbox mode in `<schema>.inbox`. `enqueue` is ONE statement, `INSERT … ON CONFLICT
 * (event_id) DO NOTHING`, shared by the deliveries that arrive while the previous one is in flight
 * (group commit, at most `maxBatch`): it resolves once PostgreSQL committed it (so the receiver's
 * 200 stands for a stored delivery), `{ duplicate: true }` when the event id was there already (or
 * came earlier in the same statement), and rejects when it could not be stored (the receiver
 * answers 503; every delivery of that statement is rejected, none acknowledged, except after an
 * error that belongs to one row, bad data: then its rows are written again one statement each, so
 * that only the bad row's delivery is rejected); new rows then
 * wake the workers with a `NOTIFY` of its own (see `createInboxNotifier`). Then
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
  const maxBatch = maxBatchOption(options.maxBatch);
  return {
    driver,
    schema: schema.name,
    channel,
    clock,
    enqueue: groupCommit((entries) => enqueueRows(db, sql, clock(), entries, notify), maxBatch, isRowError),
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

// PostgreSQL takes at most 65,535 parameters per statement: 1 for the clock, 9 per row.
const MAX_BATCH = Math.floor((65_535 - 1) / ENQUEUE_ROW_PARAMS);

function maxBatchOption(value: unknown): number {
  const maxBatch = integerOption('maxBatch', value ?? POSTGRES_INBOX_DEFAULTS.maxBatch);
  if (maxBatch <= MAX_BATCH) return maxBatch;
  throw invalidOption('maxBatch', `an integer from 1 to ${MAX_BATCH} (PostgreSQL's parameter limit)`, String(maxBatch));
}

// Whether a failed enqueue statement failed because of one of its rows, so that its rows are worth
// writing again one statement each: SQLSTATE class 22 (data exception: an event id with U+0000,
// 22021, or any value the column cannot take) or 23 (integrity constraint violation; the event id's
// unique conflict is ON CONFLICT DO NOTHING and never raises). Both pg's and PGlite's errors carry
// `code`. Any other error (a lost connection 08, a shutdown 57, no resources 53, a trigger's
// exception P0, …) would fail every row alike: retrying them one by one would only add load.
function isRowError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('22') || code.startsWith('23'));
}

// One group-commit batch in one statement. An event id that comes twice in the batch is stored
// once, from its first copy; its later copies are duplicates (answered, like every caller, only
// after the commit). Rows go in event-id order: an insert waits for another transaction that
// inserted the same id, so two instances' batches that share ids must take them in one order, or
// they could deadlock. Resolves one answer per entry, in order.
async function enqueueRows(
  db: PostgresQueryable,
  sql: InboxSql,
  clock: string | null,
  entries: readonly InboxEntry[],
  notify: () => void,
): Promise<{ duplicate: boolean }[]> {
  const first = new Map<string, number>();
  entries.forEach((entry, i) => {
    if (!first.has(entry.eventId)) first.set(entry.eventId, i);
  });
  const params: unknown[] = [clock];
  for (const eventId of [...first.keys()].sort()) {
    const { dedupeKey, type, jobId, attempt, prefix, legacy, body, receivedAt } = entries[first.get(eventId)!]!;
    params.push(eventId, dedupeKey, type, jobId, attempt, prefix, legacy, body, receivedAt.toISOString());
  }
  const { rows } = await db.query<{ event_id: string }>(sql.enqueue(first.size), params);
  const inserted = new Set(rows.map((row) => row.event_id));
  if (inserted.size > 0) notify();
  return entries.map((entry, i) => ({ duplicate: !(inserted.has(entry.eventId) && first.get(entry.eventId) === i) }));
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
  if (eventId.includes('\0')) return { replayed: false, status: undefined }; // text cannot hold NUL: no such row
  const row = (await db.query<{ status: InboxStatus; replayed: number }>(sql.replay, [clock, eventId])).rows[0];
  const replayed = Number(row?.replayed ?? 0) > 0;
  if (replayed || (row?.status !== 'dead' && row?.status !== 'done')) return { replayed, status: row?.status };
  // Dead or done when the statement began, yet not replayed: a concurrent replay took the row
  // first. Its commit is visible to a new statement: report what that replay left.
  const now = (await db.query<{ status: InboxStatus }>(sql.status, [eventId])).rows[0];
  return { replayed: false, status: now?.status };
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
