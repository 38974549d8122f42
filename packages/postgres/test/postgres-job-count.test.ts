import type { PGlite } from '@electric-sql/pglite';
import { applyObservation, type JobObservation } from '@ai-stats-webhooks/core';
import {
  createPostgresJobStore,
  createPostgresStores,
  fromPGlite,
  migrate,
  type PostgresDriver,
} from '@ai-stats-webhooks/postgres';
import { loadPGlite } from './helpers/load-pglite';

// countByStatus of the PostgreSQL job store: one group-by query, also inside the stores'
// transaction. The counts themselves are checked by the contract on pg and PGlite
// (store-contracts-*.test.ts).
let db: PGlite;
let schemas = 0;

beforeAll(async () => {
  const { PGlite } = await loadPGlite();
  db = await PGlite.create();
}, 60_000);
afterAll(() => db?.close(), 30_000);

const observe = (id: string, status: JobObservation['status']): JobObservation => ({
  id,
  kind: 'video',
  status,
  source: 'webhook',
});
const at = new Date(Date.UTC(2026, 0, 1));

async function schema(): Promise<string> {
  const name = `count_${++schemas}`;
  await migrate(db, { schema: name });
  return name;
}

describe('createPostgresJobStore countByStatus', () => {
  it('runs one group-by query, whatever the number of jobs', async () => {
    const name = await schema();
    const jobs = createPostgresJobStore({ db, schema: name });
    for (let i = 0; i < 30; i++) {
      const id = `G-${i}`;
      await jobs.update(id, (j) => applyObservation(j, observe(id, i % 2 ? 'queued' : 'completed'), at).state);
    }
    const sql: string[] = [];
    const driver = fromPGlite(db) as unknown as PostgresDriver;
    const counting: PostgresDriver = {
      ...driver,
      query: (text, params) => (sql.push(text), driver.query(text, params)),
    };
    const counted = createPostgresJobStore({ db: counting, schema: name });
    expect(await counted.countByStatus!()).toEqual([
      { kind: 'video', status: 'completed', count: 15 },
      { kind: 'video', status: 'queued', count: 15 },
    ]);
    expect(sql).toHaveLength(1);
    expect(sql[0]).toMatch(/^select kind, status, count\(\*\)::int as count from .* group by kind, status/);
  });

  it('counts through the transaction of createPostgresStores: its own writes before the commit, none after a rollback', async () => {
    const stores = createPostgresStores({ db, schema: await schema() });
    await stores.jobs.update('G-1', (j) => applyObservation(j, observe('G-1', 'queued'), at).state);
    const inside = await stores.transaction(async (scope) => {
      await scope.jobs.update('G-1', (j) => applyObservation(j, observe('G-1', 'completed'), at).state);
      return scope.jobs.countByStatus!();
    });
    expect(inside).toEqual([{ kind: 'video', status: 'completed', count: 1 }]);
    await expect(
      stores.transaction(async (scope) => {
        await scope.jobs.update('G-2', (j) => applyObservation(j, observe('G-2', 'queued'), at).state);
        expect(await scope.jobs.countByStatus!()).toHaveLength(2);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await stores.jobs.countByStatus!()).toEqual([{ kind: 'video', status: 'completed', count: 1 }]);
  });

  it('names the missing schema when migrate was not run', async () => {
    const jobs = createPostgresJobStore({ db, schema: 'count_never_migrated' });
    await expect(Promise.resolve(jobs.countByStatus!())).rejects.toThrow(/count_never_migrated/);
  });
});
