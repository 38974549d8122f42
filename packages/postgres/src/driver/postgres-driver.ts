import { invalidOption } from '@ai-stats-webhooks/core';
import { fromPgPool, isPgPool, type PgPoolLike } from './from-pg-pool';
import { fromPGlite, isPGlite, type PGliteLike } from './from-pglite';

/** A query result: the rows, as objects keyed by column name. */
export interface PostgresResult<Row = Record<string, unknown>> {
  readonly rows: Row[];
}

/**
 * Anything that runs one SQL statement with `$1, $2, …` parameters: the driver, or a transaction
 * of it. A `pg` `Pool` / `PoolClient` and a PGlite instance / `Transaction` all fit.
 *
 * @example
 * ```ts
 * const { rows } = await db.query('select count(*)::int as n from ai_stats_webhooks.jobs', []);
 * ```
 */
export interface PostgresQueryable {
  query<Row = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<PostgresResult<Row>>;
}

/**
 * One open transaction of a {@link PostgresDriver}: `query` runs inside it and `client` is the
 * driver's own transaction object (a `pg` `PoolClient`, a PGlite `Transaction`), which handlers
 * get as `context.tx`.
 *
 * @example
 * ```ts
 * await driver.transaction(async ({ query, client }) => {
 *   await query('insert into videos (id) values ($1)', [id]);
 * });
 * ```
 */
export interface PostgresTransaction<Tx = unknown> extends PostgresQueryable {
  readonly client: Tx;
}

/**
 * The one interface the stores and `migrate` run on, the same SQL on both drivers: a query
 * outside any transaction, and `transaction(work)`, which commits when `work` resolves and rolls
 * back when it throws. Make one with {@link fromPgPool} or {@link fromPGlite}, or pass the pool or
 * PGlite instance itself wherever a `db` is asked for.
 *
 * @example
 * ```ts
 * const driver = fromPgPool(new Pool({ connectionString: process.env.DATABASE_URL }));
 * const stores = createPostgresStores({ db: driver });
 * ```
 */
export interface PostgresDriver<Tx = unknown> extends PostgresQueryable {
  /** `pg` or `pglite`: which database runs the SQL. */
  readonly kind: 'pg' | 'pglite';
  /** The most connections the pool opens (`pg`'s `max`), when known. */
  readonly maxConnections?: number;
  transaction<T>(work: (tx: PostgresTransaction<Tx>) => Promise<T>): Promise<T>;
  /**
   * `LISTEN` on `channel` (a plain lower-case identifier) on a connection of its own: `onNotify`
   * runs for every notification, `onLost` once when that connection ends. Optional: without it,
   * the inbox worker polls.
   */
  listen?(channel: string, handlers: PostgresListenHandlers): Promise<PostgresListener>;
}

/** What {@link PostgresDriver.listen} calls. */
export interface PostgresListenHandlers {
  onNotify(): void;
  /** The listening connection ended (the server restarted, the network broke). */
  onLost?(error?: Error): void;
}

/**
 * An open `LISTEN` of {@link PostgresDriver.listen}; `close()` ends it and frees its connection.
 *
 * @example
 * ```ts
 * const listener = await driver.listen?.('ai_stats_webhooks_inbox', { onNotify: () => wake() });
 * await listener?.close();
 * ```
 */
export interface PostgresListener {
  close(): Promise<void>;
}

const CHANNEL = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * A `LISTEN` channel name checked to be a plain lower-case identifier (so it needs no quoting
 * beyond double quotes and names the same channel for `pg_notify`).
 *
 * @example
 * ```ts
 * await client.query(`listen "${channelName(channel)}"`);
 * ```
 */
export function channelName(channel: string): string {
  if (CHANNEL.test(channel)) return channel;
  throw new TypeError(
    `Expected a LISTEN channel of lower-case letters, digits and underscores (at most 63), found ${JSON.stringify(channel.slice(0, 80))}.`,
  );
}

/**
 * What a `db` option accepts: a driver, a `pg` `Pool`, or a PGlite instance.
 *
 * @example
 * ```ts
 * const db: PostgresDatabase = new PGlite('./.data/pglite');
 * ```
 */
export type PostgresDatabase<Tx = unknown> = PostgresDriver<Tx> | PgPoolLike | PGliteLike;

/**
 * Turns whatever a `db` option holds into a {@link PostgresDriver}: a driver as it is, a `pg`
 * `Pool` through {@link fromPgPool}, a PGlite instance through {@link fromPGlite}. Anything else
 * (a single `pg` `Client` included: one connection cannot hold concurrent transactions) is an
 * `invalid_option` error naming `option`.
 *
 * @example
 * ```ts
 * const driver = toPostgresDriver(options.db);
 * ```
 */
export function toPostgresDriver<Tx = unknown>(db: PostgresDatabase<Tx>, option = 'db'): PostgresDriver<Tx> {
  if (isDriver(db)) return db as PostgresDriver<Tx>;
  if (isPgPool(db)) return fromPgPool(db) as unknown as PostgresDriver<Tx>;
  if (isPGlite(db)) return fromPGlite(db) as unknown as PostgresDriver<Tx>;
  const found = db === null || typeof db !== 'object' ? String(db) : describeObject(db);
  throw invalidOption(
    option,
    'a pg Pool (new Pool(...)), a PGlite instance (new PGlite(dir)) or a driver from fromPgPool() / fromPGlite(); a single pg Client cannot run concurrent transactions, pass a Pool',
    found,
  );
}

function isDriver(db: unknown): db is PostgresDriver {
  const kind = (db as { kind?: unknown } | null)?.kind;
  return (
    (kind === 'pg' || kind === 'pglite') &&
    typeof (db as PostgresDriver).query === 'function' &&
    typeof (db as PostgresDriver).transaction === 'function'
  );
}

function describeObject(db: object): string {
  const name = db.constructor?.name;
  const methods = Object.keys(db).filter((key) => typeof (db as Record<string, unknown>)[key] === 'function');
  return `${name && name !== 'Object' ? `a ${name}` : 'an object'}${methods.length ? ` with ${methods.slice(0, 5).join(', ')}` : ''}`;
}
