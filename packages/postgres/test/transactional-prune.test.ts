import { createReceiver } from '@ai-stats-webhooks/core';
import {
  createPostgresInbox,
  createPostgresStores,
  createInboxWorker,
  migrate,
  type PostgresDatabase,
  type PostgresQueryable,
} from '@ai-stats-webhooks/postgres';
import { SECRET, event, sign } from '../../../test/helpers/deliveries';
import { count, until } from './helpers/inbox-setup';
import { useBothDatabases } from './helpers/both-databases';

// pruneEvery on the transactional path (inline mode with `stores`, and the inbox worker): expired
// processed_events rows are deleted every `pruneEvery` claims there too, outside the delivery's
// transaction, so the table does not grow without bound.
let schemas = 0;
const dbs = useBothDatabases();

// 30 done marks whose TTL ran out a day ago, as a busy day leaves them.
async function expiredMarks(db: PostgresQueryable, schema: string): Promise<void> {
  await db.query(`insert into "${schema}".processed_events (event_key, state, token, expires_at)
    select 'evt_old_' || g, 'done', 'tx:old', now() - interval '1 day' from generate_series(1, 30) g`);
}

const expired = (db: PostgresQueryable, schema: string) =>
  count(db, schema, 'processed_events', 'expires_at <= clock_timestamp()');

function describePrune(name: string, open: () => { db: PostgresDatabase; query: PostgresQueryable }) {
  describe(`pruneEvery on the transactional path, on ${name}`, () => {
    it('deletes expired done marks every pruneEvery claims of inline transactional deliveries', async () => {
      const { db, query } = open();
      const schema = `tx_prune_${++schemas}`;
      await migrate(db, { schema });
      await expiredMarks(query, schema);
      const receiver = createReceiver({
        secret: SECRET,
        logger: {},
        stores: createPostgresStores({ db, schema, pruneEvery: 5 }),
      });
      for (let i = 0; i < 5; i++) expect((await receiver.handle(signedRequest(`G-PRUNE${i}`))).status).toBe(200);
      await until(async () => (await expired(query, schema)) === 0, 5_000);
      expect(await count(query, schema, 'processed_events', "state = 'done'")).toBe(5); // the new marks stay
    }, 30_000);

    it('deletes them during inbox processing too, and never with pruneEvery 0', async () => {
      const { db, query } = open();
      const schema = `tx_prune_${++schemas}`;
      await migrate(db, { schema });
      await expiredMarks(query, schema);
      const run = async (pruneEvery: number, prefix: string) => {
        const stores = createPostgresStores({ db, schema, pruneEvery });
        const inbox = createPostgresInbox({ db, schema });
        const receiver = createReceiver({ secret: SECRET, logger: {}, stores, inbox });
        for (let i = 0; i < 4; i++) await receiver.handle(signedRequest(`${prefix}${i}`));
        const worker = createInboxWorker({ receiver, inbox, logger: {} });
        expect(await worker.drain({ timeoutMs: 10_000 })).toMatchObject({ processed: 4 });
      };
      await run(0, 'G-NEVER');
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(await expired(query, schema)).toBe(30);
      await run(4, 'G-INBOX');
      await until(async () => (await expired(query, schema)) === 0, 5_000);
    }, 30_000);
  });
}

function signedRequest(jobId: string) {
  const signed = sign(event('video.completed.json', { jobId }));
  return { method: 'POST', headers: signed.headers, rawBody: signed.body };
}

describePrune('pg', () => ({ db: dbs.pg.pools[0]!, query: dbs.pg.pools[0]! }));
describePrune('PGlite', () => ({ db: dbs.pglite, query: dbs.pglite }));
