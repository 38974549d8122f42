import {
  channelName,
  type PostgresDriver,
  type PostgresListener,
  type PostgresListenHandlers,
  type PostgresResult,
} from './postgres-driver';

/** The part of a `pg` `PoolClient` the driver uses. */
export interface PgPoolClientLike {
  query(text: string, params?: unknown[]): Promise<{ rows: unknown[]; command?: string }>;
  /** Returns the client to its pool; with an error, the pool destroys it instead. */
  release(error?: Error | boolean): void;
  on?(event: 'error', listener: (error: Error) => void): unknown;
  removeListener?(event: 'error', listener: (error: Error) => void): unknown;
}

/** The part of a `pg` `Pool` the driver uses (node-postgres 8.11 or later). */
export interface PgPoolLike {
  connect(): Promise<PgPoolClientLike>;
  query(text: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
  /** Present on every pg Pool; tells it apart from a single Client. */
  readonly totalCount: number;
}

/**
 * True for a `pg` `Pool` (it has `connect`, `query` and the pool's counters), false for a single
 * `Client` and anything else.
 *
 * @example
 * ```ts
 * if (isPgPool(db)) driver = fromPgPool(db);
 * ```
 */
export function isPgPool(db: unknown): db is PgPoolLike {
  const pool = db as Partial<PgPoolLike> | null;
  return typeof pool?.connect === 'function' && typeof pool.query === 'function' && typeof pool.totalCount === 'number';
}

/**
 * A driver on a node-postgres `Pool` that the application created (and ends). A query outside a
 * transaction runs on any pooled connection; `transaction(work)` checks one client out, runs
 * `BEGIN`, hands it to `work` (as `client`, the handlers' `context.tx`), then `COMMIT`s, or
 * `ROLLBACK`s when `work` throws. A `COMMIT` that PostgreSQL turned into a rollback (a statement
 * failed inside and `work` swallowed the error) throws, so nothing is acknowledged that was not
 * stored. A client whose connection broke (or whose rollback failed) is destroyed, not returned to
 * the pool.
 *
 * @example
 * ```ts
 * import { Pool } from 'pg';
 * const pool = new Pool({ connectionString: process.env.DATABASE_URL, connectionTimeoutMillis: 5_000 });
 * const db = fromPgPool(pool);
 * await migrate(db);
 * ```
 */
export function fromPgPool<Client extends PgPoolClientLike = PgPoolClientLike>(pool: {
  connect(): Promise<Client>;
  query(text: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
}): PostgresDriver<Client> {
  const run = async <Row>(target: PgPoolClientLike | typeof pool, text: string, params?: readonly unknown[]) =>
    (await target.query(text, params ? [...params] : [])) as PostgresResult<Row>;
  const max = (pool as { options?: { max?: unknown } }).options?.max;
  return {
    kind: 'pg',
    ...(typeof max === 'number' ? { maxConnections: max } : {}),
    query: (text, params) => run(pool, text, params),
    async transaction(work) {
      const client = await pool.connect();
      let broken: Error | undefined;
      // A checked-out client emits 'error' when its connection drops between queries; unheard, that
      // would crash the process. The next query fails instead, and the client is destroyed.
      const onError = (error: Error) => void (broken = error);
      client.on?.('error', onError);
      try {
        await client.query('BEGIN');
        const result = await work({ client, query: (text, params) => run(client, text, params) });
        const end = await client.query('COMMIT');
        if (end.command === 'ROLLBACK') throw abortedCommit();
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch((rollbackError: Error) => void (broken = rollbackError));
        throw error;
      } finally {
        client.removeListener?.('error', onError);
        client.release(broken);
      }
    },
    listen: (channel, handlers) => listenOnPool(pool, channel, handlers),
  };
}

// A client that hears notifications ('notification') and its connection's end.
interface ListeningClient {
  on(event: 'notification', listener: (message: { channel: string }) => void): unknown;
  on(event: 'error' | 'end', listener: (error?: Error) => void): unknown;
}

// LISTEN on a client checked out for good: released with an error (so the pool destroys it, and
// the LISTEN with it) by close() or when its connection ends.
async function listenOnPool(
  pool: { connect(): Promise<PgPoolClientLike> },
  channel: string,
  handlers: PostgresListenHandlers,
): Promise<PostgresListener> {
  const name = channelName(channel);
  const client = await pool.connect();
  const listening = client as unknown as ListeningClient;
  let open = true;
  const end = (error?: Error) => {
    if (!open) return;
    open = false;
    client.release(error ?? true);
  };
  listening.on('notification', (message) => {
    if (message.channel === name) handlers.onNotify();
  });
  const lost = (error?: Error) => {
    if (!open) return;
    end(error);
    handlers.onLost?.(error);
  };
  listening.on('error', lost);
  listening.on('end', lost);
  try {
    await client.query(`listen "${name}"`);
  } catch (error) {
    end(error as Error);
    throw error;
  }
  return { close: async () => end() };
}

function abortedCommit(): Error {
  return new Error(
    'Expected COMMIT to commit the transaction, found PostgreSQL rolled it back: a statement inside it failed and the error was caught; let the error propagate (or roll back to a savepoint) so the failure is seen.',
  );
}
