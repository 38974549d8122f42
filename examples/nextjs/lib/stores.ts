import type { PoolClient } from 'pg';
import { redactCredentials, type TransactionalStores } from '@ai-stats-webhooks/core';
import {
  createPostgresEventLog,
  createPostgresInbox,
  createPostgresStores,
  fromPgPool,
  migrate,
  openPGlite,
  type PostgresDriver,
  type PostgresInbox,
} from '@ai-stats-webhooks/postgres';
import { createEventLog, type EventLog } from './event-log';
import type { StoreSetting } from './store-setting';

/**
 * The app's stores: transactional ones and the inbox (PROCESSING=inbox) in PGlite or PostgreSQL,
 * or none (the receiver's memory stores).
 */
export interface Stores {
  /** For the start-up line: where the state lives (credentials removed). */
  description: string;
  transactional?: TransactionalStores;
  inbox?: PostgresInbox;
  events: EventLog;
  close(): Promise<void>;
}

/** How long start-up (and later, a delivery) waits for a PostgreSQL connection. */
export const POSTGRES_CONNECT_TIMEOUT_MS = 5_000;

/**
 * Opens the stores `setting` names: PGlite in `<dataDir>/pglite` (created when missing, locked to
 * this process), a PostgreSQL server through a `pg` Pool, or memory. The database is migrated
 * first (`migrate()` at every start-up).
 *
 * @example
 * ```ts
 * const stores = await openStores(readEnv().store);
 * ```
 */
export async function openStores(setting: StoreSetting): Promise<Stores> {
  if (setting.kind === 'pglite') return openPGliteStores(setting.dataDir);
  if (setting.kind === 'postgres') return openPostgresStores(setting.url);
  return { description: 'memory (lost at exit)', events: createEventLog(), close: async () => undefined };
}

async function openPGliteStores(dataDir: string): Promise<Stores> {
  // PGlite is loaded only here, so a Redis or memory run never reads its WebAssembly.
  const embedded = await openPGlite(dataDir);
  try {
    return await postgresStores(embedded.driver, `PGlite in ${dataDir}`, embedded.close);
  } catch (error) {
    await embedded.close();
    throw error;
  }
}

async function openPostgresStores(url: string): Promise<Stores> {
  const { default: pg } = await import('pg');
  // 10 connections: a delivery holds one while its handlers run.
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

// The event log appends through the handler's `context.tx`, so an event is listed exactly when
// its processed mark and job update committed.
async function postgresStores(
  driver: PostgresDriver,
  description: string,
  close: () => Promise<void>,
): Promise<Stores> {
  await migrate(driver);
  const log = createPostgresEventLog({ db: driver });
  return {
    description,
    transactional: createPostgresStores({ db: driver }),
    inbox: createPostgresInbox({ db: driver }),
    events: {
      append: async (record, tx) => void (await log.append(record, tx as Parameters<typeof log.append>[1])),
      list: () => log.list(),
    },
    close,
  };
}
