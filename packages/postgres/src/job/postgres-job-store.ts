import type { JobStore } from '@ai-stats-webhooks/core';
import { toPostgresDriver } from '../driver/postgres-driver';
import type { PostgresStoreBaseOptions } from '../dedupe/postgres-dedupe-store';
import { explainMissingSchema } from '../schema/explain-missing-schema';
import { schemaOption } from '../schema/schema-option';
import { jobSql } from './job-sql';

/** Options of {@link createPostgresJobStore}. */
export type PostgresJobStoreOptions = PostgresStoreBaseOptions;

/**
 * A job store in PostgreSQL (a server through `pg`, or embedded PGlite). Each job is one row of
 * `<schema>.jobs`: the state machine's `JobState` as `jsonb`, with `kind`, `status`, `version`,
 * `created_at` and `updated_at` as columns. `update` runs in a transaction that locks the row
 * (`select … for update`), so concurrent events for one job, from any number of instances, wait
 * for each other: no update is lost, none moves a job backwards, and `apply` runs once per write
 * (once more when two writers create the same job at once). `list` is newest first (index on
 * `created_at`); `listOpen` reads a partial index of the queued and processing jobs, oldest first;
 * `countByStatus` is one `select kind, status, count(*) … group by kind, status` (a scan of the
 * table in the database, only the counts come back). Jobs do not expire. Run `migrate(db)` first.
 *
 * @example
 * ```ts
 * const receiver = createReceiver({
 *   secret,
 *   dedupe: createPostgresDedupeStore({ db: pool }),
 *   jobs: createPostgresJobStore({ db: pool }),
 * });
 * ```
 */
export function createPostgresJobStore(options: PostgresJobStoreOptions): JobStore {
  const driver = toPostgresDriver(options.db);
  const schema = schemaOption(options.schema);
  const db = explainMissingSchema(driver, schema.name);
  const sql = jobSql(`${schema.sql}.jobs`);
  return {
    get: (id) => sql.get(db, id),
    update: (id, apply) => driver.transaction((tx) => sql.update(explainMissingSchema(tx, schema.name), id, apply)),
    list: (listOptions = {}) => sql.list(db, listOptions),
    listOpen: (listOptions = {}) => sql.listOpen(db, listOptions),
    countByStatus: () => sql.countByStatus(db),
  };
}
