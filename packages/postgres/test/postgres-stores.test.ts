import type { PGlite } from '@electric-sql/pglite';
import { applyObservation, type JobObservation } from '@ai-stats-webhooks/core';
import { createPostgresStores, migrate, type PostgresDatabase, type PostgresStores } from '@ai-stats-webhooks/postgres';
import { loadPGlite } from './helpers/load-pglite';
import { startPgFixture, type PgFixture } from './helpers/pg-pools';

// createPostgresStores().transaction(): the store side of the receiver's one transaction.
let pg: PgFixture;
let memory: PGlite;
let schemas = 0;

beforeAll(async () => {
  pg = await startPgFixture(2);
  const { PGlite } = await loadPGlite();
  memory = await PGlite.create();
}, 60_000);
afterAll(async () => {
  await pg?.close();
  await memory?.close();
}, 30_000);

async function open<Tx>(db: PostgresDatabase<Tx>, options: { ttlMs?: number } = {}): Promise<PostgresStores<Tx>> {
  const schema = `stores_${++schemas}`;
  await migrate(db, { schema });
  return createPostgresStores({ db, schema, ...options });
}

const queued = (id: string): JobObservation => ({ id, kind: 'video', status: 'queued', source: 'webhook' });
const at = new Date(Date.UTC(2026, 0, 1));

describe('createPostgresStores on pg', () => {
  it('holds a claim for the whole transaction: in_flight inside other transactions and for the plain store', async () => {
    const a = await open(pg.pools[0]!);
    const other = createPostgresStores({ db: pg.pools[1]!, schema: `stores_${schemas}` }); // another instance
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const first = a.transaction(async (scope) => {
      const claim = await scope.dedupe.claim('evt_1');
      expect(claim.outcome).toBe('claimed');
      await held;
      expect(await scope.dedupe.commit('evt_1', (claim as { token: string }).token)).toBe(true);
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await other.transaction((scope) => Promise.resolve(scope.dedupe.claim('evt_1')))).toEqual({
      outcome: 'in_flight',
    });
    expect((await other.dedupe.claim('evt_1')).outcome).toBe('in_flight');
    release();
    await first;
    expect(await other.transaction((scope) => Promise.resolve(scope.dedupe.claim('evt_1')))).toEqual({
      outcome: 'done',
    });
    expect((await other.dedupe.claim('evt_1')).outcome).toBe('done');
  });

  it('answers in_flight inside a transaction while the plain store holds a live lease', async () => {
    const stores = await open(pg.pools[0]!);
    const lease = await stores.dedupe.claim('evt_2');
    expect(lease.outcome).toBe('claimed');
    expect(await stores.transaction(async (scope) => (await scope.dedupe.claim('evt_2')).outcome)).toBe('in_flight');
  });

  it('forgets the claim, the done mark and the job update when the work throws', async () => {
    const stores = await open(pg.pools[0]!);
    const failed = stores.transaction(async (scope) => {
      const claim = await scope.dedupe.claim('evt_3');
      await scope.jobs.update('G-3', (job) => applyObservation(job, queued('G-3'), at).state);
      expect(await scope.jobs.get('G-3')).toMatchObject({ status: 'queued' }); // visible inside
      expect(await stores.jobs.get('G-3')).toBeUndefined(); // not outside, before the commit
      await scope.dedupe.commit('evt_3', (claim as { token: string }).token);
      throw new Error('handler failed');
    });
    await expect(failed).rejects.toThrow('handler failed');
    expect(await stores.jobs.get('G-3')).toBeUndefined();
    expect((await stores.dedupe.claim('evt_3')).outcome).toBe('claimed');
  });

  it('hands work the pool client as tx, releases nothing on release, and keeps the TTL of the store', async () => {
    const stores = await open(pg.pools[0]!, { ttlMs: 7_200_000 });
    await stores.transaction(async (scope) => {
      expect(typeof (scope.tx as { release?: unknown }).release).toBe('function'); // a PoolClient
      const claim = await scope.dedupe.claim('evt_4');
      expect(await scope.dedupe.release('evt_4', (claim as { token: string }).token)).toBe(true);
      expect(scope.dedupe.ttlMs).toBe(7_200_000);
      expect(scope.dedupe.extend).toBeUndefined();
    });
    expect(stores.dedupe.ttlMs).toBe(7_200_000);
  });
});

describe('createPostgresStores on PGlite (in memory)', () => {
  it('commits the done mark and the job together; a later transaction finds the event done', async () => {
    const stores = await open(memory);
    await stores.transaction(async (scope) => {
      const claim = await scope.dedupe.claim('evt_5');
      await scope.jobs.update('G-5', (job) => applyObservation(job, queued('G-5'), at).state);
      await scope.dedupe.commit('evt_5', (claim as { token: string }).token);
    });
    expect(await stores.jobs.get('G-5')).toMatchObject({ status: 'queued', version: 1 });
    expect(await stores.transaction(async (scope) => (await scope.dedupe.claim('evt_5')).outcome)).toBe('done');
    expect((await stores.jobs.listOpen!()).map((job) => job.id)).toEqual(['G-5']);
  });

  it('rolls back on a throw', async () => {
    const stores = await open(memory);
    await expect(
      stores.transaction(async (scope) => {
        await scope.jobs.update('G-6', (job) => applyObservation(job, queued('G-6'), at).state);
        throw new Error('no');
      }),
    ).rejects.toThrow('no');
    expect(await stores.jobs.list()).toEqual([]);
  });
});
