import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { PgPoolClientLike } from '@ai-stats-webhooks/postgres';
import { ROOT } from './example-app';

/** The part of a `pg` `Pool` the root tests use (typed rows), which `fromPgPool` also takes. */
export interface TestPgPool {
  connect(): Promise<PgPoolClientLike>;
  query<R = Record<string, unknown>>(text: string, params?: unknown[]): Promise<{ rows: R[] }>;
  readonly totalCount: number;
  end(): Promise<void>;
}

type PoolConstructor = new (config: Record<string, unknown>) => TestPgPool & {
  on(event: 'error', listener: (error: Error) => void): unknown;
};

/**
 * A `pg` Pool on `url` for a root test. The root package does not depend on `pg`; the copy that
 * `@ai-stats-webhooks/postgres` depends on is loaded from that package's folder. Connection errors
 * of idle clients (a server that went away) land in `errors` instead of crashing the test.
 *
 * @example
 * ```ts
 * const pool = openTestPgPool(server.url);
 * const { rows } = await pool.query<{ n: number }>('select 1 as n');
 * await pool.end();
 * ```
 */
export function openTestPgPool(url: string, errors: string[] = [], max = 4): TestPgPool {
  const pg = createRequire(join(ROOT, 'packages', 'postgres', 'package.json'))('pg') as { Pool: PoolConstructor };
  const pool = new pg.Pool({ connectionString: url, max, connectionTimeoutMillis: 5_000 });
  pool.on('error', (error) => errors.push(error.message));
  return pool;
}
