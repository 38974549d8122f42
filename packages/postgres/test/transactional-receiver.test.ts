import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { createReceiver, type Receiver, type ReceiverResponse } from '@ai-stats-webhooks/core';
import {
  createPostgresStores,
  migrate,
  type PostgresDatabase,
  type PostgresQueryable,
} from '@ai-stats-webhooks/postgres';
import { SECRET, fixture, sign } from '../../../test/helpers/deliveries';
import { loadPGlite } from './helpers/load-pglite';
import { startPgFixture, type PgFixture } from './helpers/pg-pools';

// createReceiver({ stores }): the processed-event mark, the job update and the handler's own
// writes through context.tx commit in one transaction, or none of them do. On a PostgreSQL server
// (three pools: three app instances) and on PGlite (one process).
let pg: PgFixture;
let pgliteDir: string;
let pglite: PGlite;
let schemas = 0;

beforeAll(async () => {
  pg = await startPgFixture(3);
  pgliteDir = mkdtempSync(join(tmpdir(), 'ai-stats-pglite-rx-'));
  const { PGlite } = await loadPGlite();
  pglite = await PGlite.create(pgliteDir);
}, 60_000);
afterAll(async () => {
  await pg?.close();
  await pglite?.close();
  rmSync(pgliteDir, { recursive: true, force: true });
}, 30_000);

interface Setup {
  readonly schema: string;
  /** One receiver per database handle (pg: one per pool), each with its own stores. */
  readonly receivers: Receiver[];
  /** What the test reads the tables through. */
  readonly db: PostgresQueryable;
}

async function setup(dbs: readonly PostgresDatabase[], query: PostgresQueryable): Promise<Setup> {
  const schema = `rx_${Date.now().toString(36)}_${++schemas}`;
  await Promise.all(dbs.map((db) => migrate(db, { schema })));
  await query.query(`create table ${schema}.videos (job_id text primary key, status text not null)`);
  const receivers = dbs.map((db) =>
    createReceiver({ secret: SECRET, logger: {}, stores: createPostgresStores({ db, schema }) }),
  );
  return { schema, receivers, db: query };
}

// The handler's own write, through the transaction client the receiver hands it.
function recordVideo(receiver: Receiver, schema: string, runs: { count: number }, fail: () => boolean) {
  receiver.on('video.completed', async ({ job, tx }) => {
    runs.count++;
    await (tx as PostgresQueryable).query(`insert into ${schema}.videos (job_id, status) values ($1, $2)`, [
      job.id,
      job.status,
    ]);
    await new Promise((resolve) => setTimeout(resolve, 50)); // long enough for duplicates to overlap
    if (fail()) throw new Error('handler failed after its insert');
  });
}

async function counts(s: Setup, eventId: string, jobId: string) {
  const one = async (sql: string, param: string) => Number((await s.db.query<{ n: number }>(sql, [param])).rows[0]!.n);
  return {
    done: await one(
      `select count(*)::int as n from ${s.schema}.processed_events where event_key = $1 and state = 'done'`,
      eventId,
    ),
    jobs: await one(`select count(*)::int as n from ${s.schema}.jobs where id = $1`, jobId),
    videos: await one(`select count(*)::int as n from ${s.schema}.videos where job_id = $1`, jobId),
  };
}

const delivery = () => {
  const signed = sign(fixture('video.completed.json'));
  const body = JSON.parse(signed.body) as { id: string; data: { id: string } };
  const request = { method: 'POST', headers: signed.headers, rawBody: signed.body };
  return { request, eventId: body.id, jobId: body.data.id };
};

function describeTransactional(name: string, open: () => { dbs: PostgresDatabase[]; query: PostgresQueryable }) {
  describe(`transactional receiver on ${name}`, () => {
    it('commits the processed-event mark, the job update and the handler insert together', async () => {
      const { dbs, query } = open();
      const s = await setup(dbs, query);
      const runs = { count: 0 };
      recordVideo(s.receivers[0]!, s.schema, runs, () => false);
      const { request, eventId, jobId } = delivery();
      const res = await s.receivers[0]!.handle(request);
      expect(res.status).toBe(200);
      expect(await counts(s, eventId, jobId)).toEqual({ done: 1, jobs: 1, videos: 1 });
      const again = await s.receivers[0]!.handle(request);
      expect(again.status).toBe(200);
      expect(JSON.parse(again.body)).toMatchObject({ duplicate: true });
      expect(runs.count).toBe(1);
    }, 30_000);

    it('rolls all three back when the handler throws (5xx), and the retry commits them once', async () => {
      const { dbs, query } = open();
      const s = await setup(dbs, query);
      const runs = { count: 0 };
      let failing = true;
      recordVideo(s.receivers[0]!, s.schema, runs, () => failing);
      const { request, eventId, jobId } = delivery();
      const res = await s.receivers[0]!.handle(request);
      expect(res.status).toBeGreaterThanOrEqual(500);
      expect(await counts(s, eventId, jobId)).toEqual({ done: 0, jobs: 0, videos: 0 });
      failing = false;
      expect((await s.receivers[0]!.handle(request)).status).toBe(200);
      expect(await counts(s, eventId, jobId)).toEqual({ done: 1, jobs: 1, videos: 1 });
      expect(runs.count).toBe(2);
    }, 30_000);

    it('runs the handler once for 20 concurrent duplicates; the others get 409 or 200 duplicate', async () => {
      const { dbs, query } = open();
      const s = await setup(dbs, query);
      const runs = { count: 0 };
      for (const receiver of s.receivers) recordVideo(receiver, s.schema, runs, () => false);
      const { request, eventId, jobId } = delivery();
      const answers: ReceiverResponse[] = await Promise.all(
        Array.from({ length: 20 }, (_, i) => s.receivers[i % s.receivers.length]!.handle(request)),
      );
      expect(runs.count).toBe(1);
      const processed = answers.filter((a) => a.status === 200 && !JSON.parse(a.body).duplicate);
      const duplicates = answers.filter((a) => a.status === 200 && JSON.parse(a.body).duplicate === true);
      const inFlight = answers.filter((a) => a.status === 409);
      expect(processed).toHaveLength(1);
      expect(processed.length + duplicates.length + inFlight.length).toBe(20);
      expect(await counts(s, eventId, jobId)).toEqual({ done: 1, jobs: 1, videos: 1 });
      const late = await s.receivers[s.receivers.length - 1]!.handle(request);
      expect(JSON.parse(late.body)).toMatchObject({ duplicate: true });
      expect(runs.count).toBe(1);
    }, 30_000);
  });
}

describeTransactional('pg (three pools)', () => ({ dbs: pg.pools, query: pg.pools[0]! }));
describeTransactional('PGlite', () => ({ dbs: [pglite], query: pglite }));
