import type { JobStore } from '../job/job-store';
import type { DedupeStore } from './dedupe-store';

/**
 * The stores of one open transaction, as {@link TransactionalStores.transaction} hands them to
 * the receiver. Inside it, `dedupe.claim` takes the event (`in_flight` while another transaction
 * holds it, `done` once one committed it), `dedupe.commit` marks it done as part of the
 * transaction and `dedupe.release` may do nothing (the rollback forgets the claim); `jobs` reads
 * and writes through the same transaction.
 */
export interface StoreTransaction<Tx = unknown> {
  /** The driver's transaction client (a `pg` `PoolClient`, a PGlite `Transaction`): handlers get it as `context.tx`. */
  readonly tx: Tx;
  readonly dedupe: DedupeStore;
  readonly jobs: JobStore;
}

/**
 * Stores that can run the claim, the job update, the handlers' own writes and the commit in one
 * database transaction: all of it commits, or none of it does. Outside a transaction `dedupe` and
 * `jobs` work as ordinary stores (the poller, dashboards, `storeApiObject`).
 *
 * @example
 * ```ts
 * const stores = createPostgresStores({ pool }); // @ai-stats-webhooks/postgres
 * const receiver = createReceiver({ secret, stores });
 * receiver.on('video.completed', async ({ job, tx }) => {
 *   await (tx as PoolClient).query('insert into videos (id) values ($1)', [job.id]); // same transaction
 * });
 * ```
 */
export interface TransactionalStores<Tx = unknown> {
  readonly dedupe: DedupeStore;
  readonly jobs: JobStore;
  /** Runs `work` in one transaction: commits when it resolves, rolls back when it throws. */
  transaction<T>(work: (scope: StoreTransaction<Tx>) => Promise<T>): Promise<T>;
}
