import { toPostgresDriver, type PostgresDatabase, type PostgresQueryable } from '../driver/postgres-driver';
import { MIGRATIONS, type Migration } from './migrations';
import { schemaOption } from './schema-option';

/** Options of {@link migrate}. */
export interface MigrateOptions {
  /** The schema to create or bring up to date. Default `ai_stats_webhooks`. */
  readonly schema?: string;
}

/** What {@link migrate} did. */
export interface MigrateResult {
  readonly schema: string;
  /** The versions this call applied (empty when the schema was up to date). */
  readonly applied: readonly number[];
  /** The schema's version now. */
  readonly version: number;
}

/**
 * Creates the kit's schema (`processed_events`, `jobs`, `events`, `inbox`, `schema_migrations`)
 * or brings it up to date, in one transaction under an advisory lock on the schema's name: when
 * several instances start at once, one applies the missing versions and the others wait for it,
 * then find nothing left to do. Safe to call at every start-up; a failed step rolls back all of
 * this call's steps. Needs the rights to create a schema (or an existing one the user owns).
 *
 * @example
 * ```ts
 * const pool = new Pool({ connectionString: process.env.DATABASE_URL });
 * await migrate(pool); // or migrate(new PGlite('./.data/pglite'), { schema: 'webhooks' })
 * const stores = createPostgresStores({ db: pool });
 * ```
 */
export async function migrate(db: PostgresDatabase, options: MigrateOptions = {}): Promise<MigrateResult> {
  const driver = toPostgresDriver(db);
  const schema = schemaOption(options.schema);
  return driver.transaction(async (tx) => {
    // Held until this transaction ends; the lock is taken before anything is read, so a waiting
    // instance reads the versions the first one committed.
    await tx.query('select pg_advisory_xact_lock(hashtextextended($1, 0))', [
      `ai-stats-webhooks:migrate:${schema.name}`,
    ]);
    await tx.query(`create schema if not exists ${schema.sql}`);
    await tx.query(
      `create table if not exists ${schema.sql}.schema_migrations (
        version integer primary key,
        name text not null,
        applied_at timestamptz not null default now()
      )`,
    );
    const done = await appliedVersions(tx, schema.sql);
    const applied: number[] = [];
    for (const migration of MIGRATIONS) {
      if (done.has(migration.version)) continue;
      await apply(tx, schema.sql, migration);
      applied.push(migration.version);
    }
    const version = Math.max(0, ...done, ...applied);
    return { schema: schema.name, applied, version };
  });
}

async function appliedVersions(tx: PostgresQueryable, schema: string): Promise<Set<number>> {
  const { rows } = await tx.query<{ version: number }>(`select version from ${schema}.schema_migrations`);
  return new Set(rows.map((row) => Number(row.version)));
}

async function apply(tx: PostgresQueryable, schema: string, migration: Migration): Promise<void> {
  for (const statement of migration.statements(schema)) await tx.query(statement);
  await tx.query(`insert into ${schema}.schema_migrations (version, name) values ($1, $2)`, [
    migration.version,
    migration.name,
  ]);
}
