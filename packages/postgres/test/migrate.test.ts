import type { PGlite } from '@electric-sql/pglite';
import { DEFAULT_SCHEMA, MIGRATIONS, createPostgresJobStore, migrate } from '@ai-stats-webhooks/postgres';
import { loadPGlite } from './helpers/load-pglite';
import { startPgFixture, type PgFixture } from './helpers/pg-pools';

let pg: PgFixture;
let memory: PGlite;
const latest = MIGRATIONS.at(-1)!.version;

beforeAll(async () => {
  pg = await startPgFixture(4);
  const { PGlite } = await loadPGlite();
  memory = await PGlite.create(); // in memory
}, 60_000);
afterAll(async () => {
  await pg?.close();
  await memory?.close();
}, 30_000);

const tables = async (db: { query: PGlite['query'] }, schema: string) =>
  (
    await db.query<{ table_name: string }>(
      'select table_name from information_schema.tables where table_schema = $1 order by table_name',
      [schema],
    )
  ).rows.map((row) => row.table_name);

describe('migrate', () => {
  it('creates the default schema once; a second call finds nothing to do', async () => {
    const first = await migrate(pg.pools[0]!);
    expect(first).toEqual({ schema: DEFAULT_SCHEMA, applied: MIGRATIONS.map((m) => m.version), version: latest });
    expect(await tables(pg.pools[0]!, DEFAULT_SCHEMA)).toEqual([
      'events',
      'inbox',
      'jobs',
      'processed_events',
      'schema_migrations',
    ]);
    expect(await migrate(pg.pools[1]!)).toEqual({ schema: DEFAULT_SCHEMA, applied: [], version: latest });
  });

  it('applies each version once when 12 instances migrate one schema at the same moment', async () => {
    const schema = `concurrent_${Date.now().toString(36)}`;
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => migrate(pg.pools[i % pg.pools.length]!, { schema })),
    );
    expect(results.filter((r) => r.applied.length > 0)).toHaveLength(1);
    expect(results.every((r) => r.version === latest)).toBe(true);
    const { rows } = await pg.pools[0]!.query(`select version from "${schema}".schema_migrations order by version`);
    expect(rows.map((row) => row.version)).toEqual(MIGRATIONS.map((m) => m.version));
  });

  it('migrates PGlite in memory, concurrent calls included', async () => {
    const results = await Promise.all([
      migrate(memory, { schema: 'app_hooks' }),
      migrate(memory, { schema: 'app_hooks' }),
    ]);
    expect(results.map((r) => r.applied.length).sort()).toEqual([0, MIGRATIONS.length]);
    expect(await tables(memory, 'app_hooks')).toContain('inbox');
  });

  it('refuses a schema name that is not a plain lower-case identifier, naming the option', async () => {
    for (const schema of ['', 'Webhooks', 'a-b', 'x;drop table y', '1abc', 'pg_mine', 'a'.repeat(64)]) {
      await expect(migrate(memory, { schema })).rejects.toMatchObject({
        code: 'invalid_option',
        message: expect.stringContaining('Option "schema"'),
      });
    }
  });

  it('says to run migrate when a store meets a schema that was never migrated', async () => {
    const jobs = createPostgresJobStore({ db: pg.pools[0]!, schema: 'never_migrated' });
    await expect(jobs.get('G-1')).rejects.toMatchObject({
      code: 'store_unavailable',
      message: expect.stringContaining("run await migrate(db, { schema: 'never_migrated' })"),
    });
  });
});
