import type { JobStore, StoreTransaction, TransactionalStores } from '@ai-stats-webhooks/core';
import {
  toPostgresDriver,
  type PostgresDatabase,
  type PostgresDriver,
  type PostgresTransaction,
} from './driver/postgres-driver';
import {
  POSTGRES_DEDUPE_DEFAULTS,
  createPostgresDedupeStore,
  type PostgresDedupeStore,
  type PostgresDedupeStoreOptions,
} from './dedupe/postgres-dedupe-store';
import { pruneSql } from './dedupe/dedupe-sql';
import { pruneEveryNthClaim } from './dedupe/prune-expired';
import { createTransactionDedupeStore } from './dedupe/transaction-dedupe-store';
import { createPostgresJobStore } from './job/postgres-job-store';
import { jobSql } from './job/job-sql';
import { explainMissingSchema } from './schema/explain-missing-schema';
import { schemaOption } from './schema/schema-option';

/** Options of {@link createPostgresStores}: those of the dedupe store, with a typed `db`. */
export interface PostgresStoresOptions<Tx = unknown> extends Omit<PostgresDedupeStoreOptions, 'db'> {
  readonly db: PostgresDatabase<Tx>;
}

/** The stores of {@link createPostgresStores}: transactional, plus `prune()` of the dedupe rows. */
export interface PostgresStores<Tx = unknown> extends TransactionalStores<Tx> {
  readonly dedupe: PostgresDedupeStore;
  readonly jobs: JobStore;
  /** The database the stores use (the inbox worker opens its transactions on it). */
  readonly driver: PostgresDriver<Tx>;
  /** The schema the stores use. */
  readonly schema: string;
  /**
   * The stores of a transaction that is already open on the same database (the inbox worker's):
   * the same scope `transaction(work)` hands to `work`, on `tx`. The caller commits or rolls back.
   */
  within(tx: PostgresTransaction<Tx>): StoreTransaction<Tx>;
}

/**
 * The dedupe and job stores on one database, and `transaction(work)`: ONE transaction in which
 * the receiver claims the event, settles the job, runs the handlers (which write through
 * `context.tx`, the driver's transaction client) and marks the event done. All of it commits when
 * `work` resolves, none of it when `work` throws. Inside it, a claim is an advisory lock on the
 * event held until the end of the transaction (a concurrent duplicate gets `in_flight`, 409; one
 * arriving after the commit finds the done row, 200 duplicate), and job updates lock their row.
 * Outside a transaction, `dedupe` and `jobs` are the ordinary stores (poller, dashboards). Every
 * `pruneEvery` claims in transactions, a batch of expired dedupe rows is deleted in the
 * background, outside the transaction (as the ordinary store does with its own claims). Run
 * `migrate(db, { schema })` first.
 *
 * @example
 * ```ts
 * const pool = new Pool({ connectionString: process.env.DATABASE_URL });
 * await migrate(pool);
 * const stores = createPostgresStores({ db: fromPgPool<PoolClient>(pool) });
 * const receiver = createReceiver({ secret, stores });
 * receiver.on('video.completed', async ({ job, tx }) => {
 *   await (tx as PoolClient).query('insert into videos (id) values ($1)', [job.id]);
 * });
 * ```
 */
export function createPostgresStores<Tx = unknown>(options: PostgresStoresOptions<Tx>): PostgresStores<Tx> {
  const driver = toPostgresDriver(options.db);
  const schema = schemaOption(options.schema);
  const dedupe = createPostgresDedupeStore({ ...options, db: driver });
  const jobs = createPostgresJobStore({ db: driver, schema: schema.name });
  const table = `${schema.sql}.processed_events`;
  const sql = jobSql(`${schema.sql}.jobs`);
  // On the driver, not on a delivery's transaction: see pruneEveryNthClaim.
  const onClaim = pruneEveryNthClaim(explainMissingSchema(driver, schema.name), pruneSql(table), {
    every: dedupe.pruneEvery,
    batch: POSTGRES_DEDUPE_DEFAULTS.pruneBatch,
  });
  const within = (transaction: PostgresTransaction<Tx>): StoreTransaction<Tx> => {
    const tx = explainMissingSchema(transaction, schema.name);
    return {
      tx: transaction.client,
      dedupe: createTransactionDedupeStore(tx, { schema: schema.name, table, ttlMs: dedupe.ttlMs, onClaim }),
      jobs: {
        get: (id) => sql.get(tx, id),
        update: (id, apply) => sql.update(tx, id, apply),
        list: (listOptions = {}) => sql.list(tx, listOptions),
        listOpen: (listOptions = {}) => sql.listOpen(tx, listOptions),
        countByStatus: () => sql.countByStatus(tx),
      },
    };
  };
  return {
    dedupe,
    jobs,
    driver,
    schema: schema.name,
    within,
    transaction: (work) => driver.transaction((transaction) => work(within(transaction))),
  };
}
