import { integerOption } from '@ai-stats-webhooks/core';
import { toPostgresDriver, type PostgresQueryable } from '../driver/postgres-driver';
import type { PostgresStoreBaseOptions } from '../dedupe/postgres-dedupe-store';
import { explainMissingSchema } from '../schema/explain-missing-schema';
import { schemaOption } from '../schema/schema-option';

/** One processed event, as the example apps list it (`GET /api/events`). */
export interface EventLogRecord {
  readonly event_id: string;
  readonly type: string;
  readonly job_id: string;
  readonly attempt: number;
  /** ISO-8601. */
  readonly received_at: string;
  readonly job_status: string;
  readonly reconciled: boolean;
  readonly conflict: string | null;
}

/** The processed-event log in `<schema>.events`: one row per event id. */
export interface PostgresEventLog {
  /**
   * Adds a record, once per event id (a second one for the same id is ignored: false). Pass the
   * handler's `context.tx` as `tx` to write it in the delivery's transaction.
   */
  append(record: EventLogRecord, tx?: { query(text: string, params?: unknown[]): Promise<unknown> }): Promise<boolean>;
  /** The last `limit` records (default 10,000), oldest first. */
  list(options?: { readonly limit?: number }): Promise<EventLogRecord[]>;
}

/**
 * Defaults of {@link createPostgresEventLog}: `list()` gives the last 10,000 records.
 *
 * @example
 * ```ts
 * const recent = await events.list({ limit: POSTGRES_EVENT_LOG_DEFAULTS.listLimit / 10 });
 * ```
 */
export const POSTGRES_EVENT_LOG_DEFAULTS = Object.freeze({ listLimit: 10_000 });

/**
 * The event log of the example apps in PostgreSQL or PGlite: `append` inserts a record unless its
 * event id is there already (`on conflict do nothing`), through the store's database or through a
 * transaction client (the handlers' `context.tx`), so the record commits with the event or not at
 * all. Run `migrate(db)` first.
 *
 * @example
 * ```ts
 * const events = createPostgresEventLog({ db: pool });
 * receiver.onAny(async ({ event, job, tx, delivery }) => {
 *   await events.append({ event_id: event.id, type: event.type, job_id: job.id, attempt: delivery.attempt,
 *     received_at: new Date().toISOString(), job_status: job.status, reconciled: false, conflict: null }, tx);
 * });
 * ```
 */
export function createPostgresEventLog(options: PostgresStoreBaseOptions): PostgresEventLog {
  const driver = toPostgresDriver(options.db);
  const schema = schemaOption(options.schema);
  const db = explainMissingSchema(driver, schema.name);
  const table = `${schema.sql}.events`;
  const insert = `insert into ${table} (event_id, type, job_id, attempt, received_at, job_status, reconciled, conflict)
    values ($1, $2, $3, $4, $5::timestamptz, $6, $7, $8) on conflict (event_id) do nothing returning 1 as ok`;
  const list = `select * from (
      select id, event_id, type, job_id, attempt, received_at, job_status, reconciled, conflict
      from ${table} order by id desc limit $1
    ) last order by id`;
  return {
    async append(record, tx) {
      const target = (tx ? explainMissingSchema(tx as PostgresQueryable, schema.name) : db) as PostgresQueryable;
      const { rows } = await target.query(insert, [
        record.event_id,
        record.type,
        record.job_id,
        record.attempt,
        record.received_at,
        record.job_status,
        record.reconciled,
        record.conflict,
      ]);
      return rows.length === 1;
    },
    async list(listOptions = {}) {
      const limit = integerOption('limit', listOptions.limit ?? POSTGRES_EVENT_LOG_DEFAULTS.listLimit, { min: 0 });
      const { rows } = await db.query<EventRow>(list, [limit]);
      return rows.map(toRecord);
    },
  };
}

interface EventRow extends Omit<EventLogRecord, 'received_at'> {
  readonly received_at: Date | string;
}

function toRecord(row: EventRow): EventLogRecord {
  // A Date from pg, or from PGlite (which may live in another realm, where instanceof fails).
  const receivedAt = new Date(row.received_at);
  return {
    event_id: row.event_id,
    type: row.type,
    job_id: row.job_id,
    attempt: Number(row.attempt),
    received_at: receivedAt.toISOString(),
    job_status: row.job_status,
    reconciled: row.reconciled === true,
    conflict: row.conflict ?? null,
  };
}
