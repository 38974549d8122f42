import { createPostgresDedupeStore, migrate } from '@ai-stats-webhooks/postgres';
import { startPgFixture, type PgFixture } from './helpers/pg-pools';

// Lease semantics are contract cases (store-contracts-*.test.ts); these are the store's own.
let pg: PgFixture;
let schemas = 0;

beforeAll(async () => {
  pg = await startPgFixture(1);
}, 60_000);
afterAll(() => pg?.close(), 30_000);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function open(options: { leaseMs?: number; ttlMs?: number; pruneEvery?: number } = {}) {
  const schema = `dedupe_${++schemas}`;
  await migrate(pg.pools[0]!, { schema });
  const store = createPostgresDedupeStore({ db: pg.pools[0]!, schema, ...options });
  const rows = async () =>
    Number((await pg.pools[0]!.query(`select count(*)::int as n from ${schema}.processed_events`)).rows[0].n);
  return { store, rows };
}

describe('createPostgresDedupeStore', () => {
  it('validates its options at construction, naming the option', () => {
    const db = pg.pools[0]!;
    expect(() => createPostgresDedupeStore({ db, ttlMs: 0 })).toThrow(/Option "ttlMs"/);
    expect(() => createPostgresDedupeStore({ db, leaseMs: 1.5 })).toThrow(/Option "leaseMs"/);
    expect(() => createPostgresDedupeStore({ db, pruneEvery: -1 })).toThrow(/Option "pruneEvery"/);
    expect(() => createPostgresDedupeStore({ db, schema: 'No' })).toThrow(/Option "schema"/);
    expect(() => createPostgresDedupeStore({ db: undefined as never })).toThrow(/Option "db"/);
    const store = createPostgresDedupeStore({ db });
    expect([store.leaseMs, store.ttlMs]).toEqual([60_000, 86_400_000]);
  });

  it('prune() deletes expired leases and done keys, and keeps live ones', async () => {
    const { store, rows } = await open({ leaseMs: 100, ttlMs: 100, pruneEvery: 0 });
    for (let i = 0; i < 1_200; i++) {
      const claim = await store.claim(`evt_old_${i}`);
      if (i % 2 === 0) await store.commit(`evt_old_${i}`, (claim as { token: string }).token);
    }
    await sleep(150);
    const live = createPostgresDedupeStore({ db: pg.pools[0]!, schema: `dedupe_${schemas}` });
    await live.claim('evt_live_lease');
    await live.commit('evt_live_done', ((await live.claim('evt_live_done')) as { token: string }).token);
    expect(await rows()).toBe(1_202);
    expect(await store.prune()).toBe(1_200); // more than one batch of 500
    expect(await rows()).toBe(2);
    expect((await live.claim('evt_live_lease')).outcome).toBe('in_flight');
    expect((await live.claim('evt_live_done')).outcome).toBe('done');
  }, 30_000);

  it('deletes expired rows every pruneEvery claims, in the background', async () => {
    const { store, rows } = await open({ leaseMs: 50, pruneEvery: 10 });
    for (let i = 0; i < 9; i++) await store.claim(`evt_${i}`);
    await sleep(100);
    await store.claim('evt_9'); // the 10th claim
    for (let i = 0; i < 50 && (await rows()) > 1; i++) await sleep(20);
    expect(await rows()).toBe(1);
  });

  it('never commits a key that another live lease holds, whatever the token', async () => {
    const { store } = await open();
    const claim = await store.claim('evt_held');
    expect(claim.outcome).toBe('claimed');
    expect(await store.commit('evt_held', 'tx:not-the-holder')).toBe(false);
    expect(await store.commit('evt_absent', 'any-token')).toBe(true); // nothing held it
    expect((await store.claim('evt_absent')).outcome).toBe('done');
  });
});
