import { createPostgresDedupeStore, createPostgresJobStore, migrate } from '@ai-stats-webhooks/postgres';
import { describeDedupeStoreContract, describeJobStoreContract } from '@ai-stats-webhooks/testing';
import { startPgFixture, type PgFixture } from './helpers/pg-pools';

// A real PostgreSQL server and three pools on it, as three app instances have: the concurrent
// cases race across them. Every case migrates a schema of its own (the namespace), from all
// three handles at once, which is also a test of migrate's lock.
let pg: PgFixture;
let next = 0;
const pool = () => pg.pools[next++ % pg.pools.length]!;

beforeAll(async () => {
  pg = await startPgFixture(3);
}, 60_000);
afterAll(() => pg?.close(), 30_000);

// The database keeps real time: the expiry cases sleep a few hundred ms with short leases.
describeDedupeStoreContract(
  'createPostgresDedupeStore on pg',
  async ({ namespace, leaseMs, ttlMs }) => {
    const db = pool();
    await migrate(db, { schema: namespace });
    return createPostgresDedupeStore({ db, schema: namespace, leaseMs, ttlMs });
  },
  { instances: 3 },
);

describeJobStoreContract(
  'createPostgresJobStore on pg',
  async ({ namespace }) => {
    const db = pool();
    await migrate(db, { schema: namespace });
    return createPostgresJobStore({ db, schema: namespace });
  },
  { instances: 3 },
);
