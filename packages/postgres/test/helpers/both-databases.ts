import type { PGlite } from '@electric-sql/pglite';
import { loadPGlite } from './load-pglite';
import { startPgFixture, type PgFixture } from './pg-pools';

/** A PostgreSQL server of the file's own and an in-memory PGlite, open for the file's tests. */
export interface BothDatabases {
  readonly pg: PgFixture;
  readonly pglite: PGlite;
}

/**
 * Starts a PostgreSQL server (one pool) and an in-memory PGlite before the file's tests and closes
 * both after them; read them inside tests (they exist once `beforeAll` has run).
 *
 * @example
 * ```ts
 * const dbs = useBothDatabases();
 * describeInbox('pg', () => ({ db: dbs.pg.pools[0]!, query: dbs.pg.pools[0]! }));
 * describeInbox('PGlite', () => ({ db: dbs.pglite, query: dbs.pglite }));
 * ```
 */
export function useBothDatabases(): BothDatabases {
  let pg: PgFixture | undefined;
  let pglite: PGlite | undefined;
  beforeAll(async () => {
    pg = await startPgFixture(1);
    const { PGlite } = await loadPGlite();
    pglite = await PGlite.create();
  }, 60_000);
  afterAll(async () => {
    await pg?.close();
    await pglite?.close();
  }, 30_000);
  return {
    get pg() {
      return pg!;
    },
    get pglite() {
      return pglite!;
    },
  };
}
