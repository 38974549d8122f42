import type { PoolClient } from 'pg';
import { redactCredentials } from '@ai-stats-webhooks/core';
import {
  createPostgresEventLog,
  createPostgresInbox,
  createPostgresStores,
  fromPgPool,
  migrate,
  openPGlite,
  type PostgresDriver,
} from '@ai-stats-webhooks/postgres';
import { schedulePrune } from './prune-schedule.js';
import type { Stores } from './stores.js';

/** How long start-up (and later, a delivery) waits for a PostgreSQL connection. */
export const POSTGRES_CONNECT_TIMEOUT_MS = 5_000;

/**
 * The embedded default: PGlite (PostgreSQL in this process) in `<dataDir>/pglite`, migrated, with
 * the transactional stores and the event log. `dataDir` is created when missing and locked to
 * this process (see `openPGlite` in @ai-stats-webhooks/postgres). Opening an existing directory takes about a second; creating
 * one a few more (initdb).
 *
 * @example
 * ```ts
 * const stores = await openPGliteStores('/srv/app/.data');
 * ```
 */
export async function openPGliteStores(dataDir: string): Promise<Stores> {
  // PGlite is loaded only here, so a Redis or memory run never reads its WebAssembly.
  const embedded = await openPGlite(dataDir);
  try {
    return await postgresStores(embedded.driver, `PGlite in ${dataDir}`, embedded.close);
  } catch (error) {
    await embedded.close();
    throw error;
  }
}

/**
 * A PostgreSQL server through a `pg` Pool (10 connections: a delivery holds one while its
 * handlers run), migrated, with the transactional stores and the event log. A connection that
 * does not come within {@link POSTGRES_CONNECT_TIMEOUT_MS} fails the delivery with 503.
 *
 * @example
 * ```ts
 * const stores = await openPostgresStores(process.env.DATABASE_URL!);
 * ```
 */
export async function openPostgresStores(url: string): Promise<Stores> {
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({ connectionString: url, max: 10, connectionTimeoutMillis: POSTGRES_CONNECT_TIMEOUT_MS });
  // An idle connection the server ended emits 'error'; without a listener it would crash the process.
  pool.on('error', (error) => console.error(redactCredentials(`postgres: ${error.message}`)));
  const close = () => pool.end().catch(() => undefined);
  try {
    return await postgresStores(fromPgPool<PoolClient>(pool), `PostgreSQL at ${redactCredentials(url)}`, close);
  } catch (error) {
    await close();
    throw error;
  }
}

// migrate() at every start-up, then the stores and the inbox (used with PROCESSING=inbox). The
// event log appends through the handler's `context.tx`, so an event is listed exactly when its
// processed mark and job update committed. Old done inbox rows and expired processed marks are
// pruned on a timer, stopped before the database closes.
async function postgresStores(
  driver: PostgresDriver,
  description: string,
  close: () => Promise<void>,
): Promise<Stores> {
  await migrate(driver);
  const log = createPostgresEventLog({ db: driver });
  const transactional = createPostgresStores({ db: driver });
  const inbox = createPostgresInbox({ db: driver });
  const pruning = schedulePrune({ inbox, dedupe: transactional.dedupe });
  return {
    description,
    transactional,
    inbox,
    events: {
      append: async (record, tx) => void (await log.append(record, tx as Parameters<typeof log.append>[1])),
      list: () => log.list(),
    },
    async close() {
      await pruning.stop();
      await close();
    },
  };
}
