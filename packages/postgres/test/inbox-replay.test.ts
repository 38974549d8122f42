import { createReceiver, type WebhookHandler } from '@ai-stats-webhooks/core';
import type { PostgresDatabase, PostgresQueryable } from '@ai-stats-webhooks/postgres';
import { SECRET, fixture, sign } from '../../../test/helpers/deliveries';
import { count, inboxInstances, until } from './helpers/inbox-setup';
import { useBothDatabases } from './helpers/both-databases';

// inbox.replay(): what a replay may forget (a done row's mark, never a dead row's), and what it
// reports when another replay of the same row got there first.
const dbs = useBothDatabases();

const EVENT_ID = 'evt_video_G-01KA7Q3M9V2X5C8B4N6D1F0H7J_video_completed';

// A handler that writes its own row through the event's transaction: `handled` holds what committed.
async function recordHandled(db: PostgresQueryable, schema: string, failing: () => boolean): Promise<WebhookHandler> {
  await db.query(`create table "${schema}".handled (id serial primary key, event_id text not null)`);
  return async ({ event, tx }) => {
    await (tx as PostgresQueryable).query(`insert into "${schema}".handled (event_id) values ($1)`, [event.id]);
    if (failing()) throw new Error('the handler fails');
  };
}

function describeReplay(name: string, open: () => { db: PostgresDatabase; query: PostgresQueryable }) {
  describe(`inbox.replay() on ${name}`, () => {
    it('answers a replayed dead letter duplicate when another path processed its event meanwhile; a done one runs again', async () => {
      const { db, query } = open();
      const { schema, instances } = await inboxInstances([db]);
      const app = instances[0]!;
      let failing = true;
      const handler = await recordHandled(query, schema, () => failing);
      app.receiver.onAny(handler);
      expect((await app.send(fixture('video.completed.json'))).json).toMatchObject({ queued: true });
      const worker = app.worker({ maxAttempts: 1 });
      expect(await worker.drain({ timeoutMs: 10_000 })).toMatchObject({ dead: 1 });
      failing = false;
      // An instance in inline mode on the same stores processes the sender's retry of the event.
      const inline = createReceiver({ secret: SECRET, logger: {}, stores: app.stores }).onAny(handler);
      const signed = sign(fixture('video.completed.json'));
      const answer = await inline.handle({ method: 'POST', headers: signed.headers, rawBody: signed.body });
      expect(answer.status).toBe(200);
      expect(await count(query, schema, 'handled')).toBe(1);

      expect(await app.inbox.replay(EVENT_ID)).toEqual({ replayed: true, status: 'dead' });
      expect(await worker.drain({ timeoutMs: 10_000 })).toMatchObject({ duplicate: 1, processed: 0 });
      expect(await count(query, schema, 'handled')).toBe(1); // not committed twice
      expect(await count(query, schema, 'processed_events', "state = 'done'")).toBe(1);

      // A done row's replay forgets its done mark on purpose: its handlers run again.
      expect(await app.inbox.replay(EVENT_ID)).toEqual({ replayed: true, status: 'done' });
      expect(await worker.drain({ timeoutMs: 10_000 })).toMatchObject({ processed: 1 });
      expect(await count(query, schema, 'handled')).toBe(2);
    }, 30_000);
  });
}

describeReplay('pg', () => ({ db: dbs.pg.pools[0]!, query: dbs.pg.pools[0]! }));
describeReplay('PGlite', () => ({ db: dbs.pglite, query: dbs.pglite }));

describe('concurrent replays on pg', () => {
  it('reports the status the row has after the replay that won (pending), not the stale dead', async () => {
    const pool = dbs.pg.pool({ max: 3 });
    const { schema, instances } = await inboxInstances([pool]);
    const app = instances[0]!;
    await app.send(fixture('video.completed.json'));
    await pool.query(`update "${schema}".inbox set status = 'dead', attempts = 10 where event_id = $1`, [EVENT_ID]);
    // The winner: a replay whose transaction holds the row, committed once the loser waits for it.
    const winner = await pool.connect();
    try {
      await winner.query('begin');
      await winner.query(`update "${schema}".inbox set status = 'pending', attempts = 0 where event_id = $1`, [
        EVENT_ID,
      ]);
      const losing = app.inbox.replay(EVENT_ID);
      await until(async () => {
        const { rows } = await pool.query(
          `select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and query like '%inbox%'`,
        );
        return rows[0].n > 0;
      }, 5_000);
      await winner.query('commit');
      expect(await losing).toEqual({ replayed: false, status: 'pending' });
    } finally {
      await winner.query('rollback').catch(() => undefined);
      winner.release();
    }
    expect(await app.inbox.stats()).toMatchObject({ pending: 1, dead: 0 });
  }, 30_000);

  it('never reports a lost race as dead when two replays run at once', async () => {
    const { schema, instances } = await inboxInstances([dbs.pg.pool({ max: 4 })]);
    const app = instances[0]!;
    await app.send(fixture('video.completed.json'));
    const answers = [];
    for (let round = 0; round < 20; round++) {
      await dbs.pg.pools[0]!.query(`update "${schema}".inbox set status = 'dead' where event_id = $1`, [EVENT_ID]);
      answers.push(...(await Promise.all([app.inbox.replay(EVENT_ID), app.inbox.replay(EVENT_ID)])));
    }
    expect(answers.filter((a) => a.replayed)).toHaveLength(20);
    expect(answers.filter((a) => !a.replayed).every((a) => a.status === 'pending')).toBe(true);
  }, 30_000);
});
