import { channelName, type PostgresDriver, type PostgresResult } from './postgres-driver';

/** The part of a PGlite `Transaction` the driver uses. */
export interface PGliteTransactionLike {
  query(text: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
}

/** The part of a PGlite instance (`@electric-sql/pglite`) the driver uses. */
export interface PGliteLike {
  query(text: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
  transaction<T>(callback: (tx: PGliteTransactionLike) => Promise<T>): Promise<T>;
  exec(text: string): Promise<unknown>;
  /** `LISTEN` in this process (PGlite 0.2+); resolves to the function that ends it. */
  listen?(channel: string, callback: (payload: string) => void): Promise<() => Promise<void>>;
  /** Present on PGlite; tells it apart from a driver. */
  readonly waitReady: Promise<void>;
}

/**
 * True for a PGlite instance (`new PGlite(…)` or `await PGlite.create(…)`).
 *
 * @example
 * ```ts
 * if (isPGlite(db)) driver = fromPGlite(db);
 * ```
 */
export function isPGlite(db: unknown): db is PGliteLike {
  const pglite = db as Partial<PGliteLike> | null;
  return (
    typeof pglite?.query === 'function' &&
    typeof pglite.transaction === 'function' &&
    typeof pglite.exec === 'function' &&
    'waitReady' in pglite
  );
}

/**
 * A driver on an embedded PGlite database (PostgreSQL compiled to WebAssembly, in this process, on
 * a data directory or in memory). PGlite is one connection: it runs one transaction at a time and
 * queues every other query behind it, so transactions never overlap (and advisory locks always
 * succeed), which keeps exactly-once trivially true but means a long handler holds up every
 * other delivery. Inside `work`, use only `client` / `query` of the transaction: a query on the
 * PGlite instance itself would wait for the transaction to end, forever.
 *
 * @example
 * ```ts
 * import { PGlite } from '@electric-sql/pglite';
 * const db = fromPGlite(new PGlite(process.env.DATA_DIR ?? './.data/pglite'));
 * await migrate(db);
 * ```
 */
export function fromPGlite<Tx extends PGliteTransactionLike = PGliteTransactionLike>(db: {
  query(text: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
  transaction<T>(callback: (tx: Tx) => Promise<T>): Promise<T>;
  listen?: PGliteLike['listen'];
}): PostgresDriver<Tx> {
  const run = async <Row>(target: PGliteTransactionLike, text: string, params?: readonly unknown[]) =>
    (await target.query(text, params ? [...params] : [])) as PostgresResult<Row>;
  const driver: PostgresDriver<Tx> = {
    kind: 'pglite',
    query: (text, params) => run(db, text, params),
    transaction: (work) =>
      db.transaction((client) => work({ client, query: (text, params) => run(client, text, params) })),
  };
  const listen = db.listen?.bind(db);
  if (listen === undefined) return driver;
  return {
    ...driver,
    async listen(channel, { onNotify }) {
      const unlisten = await listen(channelName(channel), () => onNotify());
      return { close: () => unlisten() };
    },
  };
}
