import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { createPostgresDedupeStore, createPostgresJobStore, migrate } from '@ai-stats-webhooks/postgres';
import { describeDedupeStoreContract, describeJobStoreContract } from '@ai-stats-webhooks/testing';
import { loadPGlite } from './helpers/load-pglite';

// Embedded PGlite on a temp data directory. PGlite is one connection, so the three handles of
// the concurrent cases share it (as the stores of one process do); it runs one transaction at a
// time and the cases check that the stores stay exact under that queueing.
let dir: string;
let db: PGlite;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ai-stats-pglite-'));
  const { PGlite } = await loadPGlite();
  db = await PGlite.create(dir);
}, 60_000);
afterAll(async () => {
  await db?.close();
  rmSync(dir, { recursive: true, force: true });
}, 30_000);

describeDedupeStoreContract(
  'createPostgresDedupeStore on PGlite',
  async ({ namespace, leaseMs, ttlMs }) => {
    await migrate(db, { schema: namespace });
    return createPostgresDedupeStore({ db, schema: namespace, leaseMs, ttlMs });
  },
  { instances: 3 },
);

describeJobStoreContract(
  'createPostgresJobStore on PGlite',
  async ({ namespace }) => {
    await migrate(db, { schema: namespace });
    return createPostgresJobStore({ db, schema: namespace });
  },
  { instances: 3 },
);
