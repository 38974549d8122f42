import type { PGlite } from '@electric-sql/pglite';
import { Client } from 'pg';
import { fromPGlite, fromPgPool, isPGlite, isPgPool, toPostgresDriver } from '@ai-stats-webhooks/postgres';
import { loadPGlite } from './helpers/load-pglite';
import { startPgFixture, type PgFixture } from './helpers/pg-pools';

let pg: PgFixture;
let memory: PGlite;

beforeAll(async () => {
  pg = await startPgFixture(1);
  const { PGlite } = await loadPGlite();
  memory = await PGlite.create();
  await pg.pools[0]!.query('create table t (x int primary key)');
  await memory.query('create table t (x int primary key)');
}, 60_000);
afterAll(async () => {
  await pg?.close();
  await memory?.close();
}, 30_000);

describe('drivers', () => {
  it('tells a pg Pool, PGlite and a driver apart, and refuses a single pg Client', () => {
    const pool = pg.pools[0]!;
    expect([isPgPool(pool), isPGlite(pool)]).toEqual([true, false]);
    expect([isPgPool(memory), isPGlite(memory)]).toEqual([false, true]);
    expect(toPostgresDriver(pool).kind).toBe('pg');
    expect(toPostgresDriver(memory).kind).toBe('pglite');
    const driver = fromPGlite(memory);
    expect(toPostgresDriver(driver)).toBe(driver);
    const client = new Client({ connectionString: pg.server.url });
    expect(() => toPostgresDriver(client as never)).toThrow(/Option "db": expected a pg Pool.*found a Client/);
    expect(() => toPostgresDriver({} as never)).toThrow(/found an object/);
    expect(() => toPostgresDriver(undefined as never)).toThrow(/found undefined/);
  });

  for (const [name, make] of [
    ['pg', () => fromPgPool(pg.pools[0]!)],
    ['PGlite', () => fromPGlite(memory)],
  ] as const) {
    it(`${name}: commits when work resolves, rolls back when it throws`, async () => {
      const db = make();
      const x = name === 'pg' ? 1 : 2;
      await expect(
        db.transaction(async (tx) => {
          await tx.query('insert into t (x) values ($1)', [x]);
          throw new Error('rolled back');
        }),
      ).rejects.toThrow('rolled back');
      expect((await db.query('select x from t where x = $1', [x])).rows).toEqual([]);
      expect(
        await db.transaction(async (tx) => (await tx.query('insert into t (x) values ($1) returning x', [x])).rows),
      ).toEqual([{ x }]);
      expect((await db.query('select x from t where x = $1', [x])).rows).toEqual([{ x }]);
    });

    it(`${name}: refuses to report a commit that PostgreSQL turned into a rollback`, async () => {
      const db = make();
      const swallowed = db.transaction(async (tx) => {
        await tx.query('insert into t (x) values (100)');
        await tx.query('insert into t (x) values (100)').catch(() => undefined); // duplicate key, swallowed
      });
      await expect(swallowed).rejects.toThrow(/COMMIT|aborted/i);
      expect((await db.query('select x from t where x = 100')).rows).toEqual([]);
    });
  }

  it('pg: returns a client whose rollback failed to the pool as broken, and keeps serving', async () => {
    const pool = pg.pool({ max: 1 });
    const db = fromPgPool(pool);
    await expect(
      db.transaction(async (tx) => {
        await tx.query('select pg_terminate_backend(pg_backend_pid())').catch(() => undefined);
        throw new Error('connection lost');
      }),
    ).rejects.toThrow('connection lost');
    expect((await db.query('select 1 as one')).rows).toEqual([{ one: 1 }]);
  });
});
