import { Pool } from 'pg';
import { startPostgresServer, type PostgresServer } from '../../../../test/helpers/postgres-server';

/** A test server and `count` pools on it, as `count` app instances would have; `close()` ends them all. */
export interface PgFixture {
  readonly server: PostgresServer;
  readonly pools: Pool[];
  /** Pool errors (a connection the server ended): reported here instead of crashing the test. */
  readonly errors: string[];
  pool(options?: { readonly max?: number }): Pool;
  close(): Promise<void>;
}

/**
 * Starts a PostgreSQL server of the test file's own and opens `count` pools on it.
 *
 * @example
 * ```ts
 * let pg: PgFixture;
 * beforeAll(async () => (pg = await startPgFixture(3)));
 * afterAll(() => pg?.close());
 * ```
 */
export async function startPgFixture(count = 1): Promise<PgFixture> {
  const server = await startPostgresServer();
  const pools: Pool[] = [];
  const errors: string[] = [];
  const pool = (options: { readonly max?: number } = {}) => {
    const created = new Pool({ connectionString: server.url, max: options.max ?? 5, connectionTimeoutMillis: 5_000 });
    created.on('error', (error) => errors.push(error.message));
    pools.push(created);
    return created;
  };
  for (let i = 0; i < count; i++) pool();
  return {
    server,
    pools,
    errors,
    pool,
    async close() {
      await Promise.all(pools.map((p) => p.end().catch(() => undefined)));
      await server.destroy();
    },
  };
}
