import type { PostgresDatabase, PostgresQueryable } from '@ai-stats-webhooks/postgres';
import { event, fixture } from '../../../test/helpers/deliveries';
import { count, inboxInstances, testClock } from './helpers/inbox-setup';
import { useBothDatabases } from './helpers/both-databases';

// createPostgresInbox: what the receiver's 200 stands for in inbox mode, and the operations.
const dbs = useBothDatabases();

function describeInbox(name: string, open: () => { db: PostgresDatabase; query: PostgresQueryable }) {
  describe(`inbox on ${name}`, () => {
    it('acknowledges a delivery once its row is committed, and a copy as a duplicate', async () => {
      const { db, query } = open();
      const { schema, instances } = await inboxInstances([db]);
      const [app] = instances;
      let handled = 0;
      app!.receiver.onAny(() => void handled++);
      const first = await app!.send(fixture('video.completed.json'));
      expect(first.status).toBe(200);
      expect(first.json).toMatchObject({ ok: true, queued: true });
      const copy = await app!.send(event('video.completed.json', { attempt: 2 }));
      expect(copy.status).toBe(200);
      expect(copy.json).toMatchObject({ duplicate: true });
      expect(handled).toBe(0);
      const [row] = await app!.inbox.list();
      expect(row).toMatchObject({
        eventId: 'evt_video_G-01KA7Q3M9V2X5C8B4N6D1F0H7J_video_completed',
        jobId: 'G-01KA7Q3M9V2X5C8B4N6D1F0H7J',
        status: 'pending',
        attempts: 0,
        deliveryAttempt: 1,
      });
      expect(await count(query, schema, 'inbox')).toBe(1);
    }, 30_000);

    it('answers an id with a NUL byte (no row can have one) as not found, never a database error', async () => {
      const { db } = open();
      const { instances } = await inboxInstances([db]);
      const app = instances[0]!;
      await expect(app.inbox.replay('evt_\0x')).resolves.toEqual({ replayed: false, status: undefined });
      await expect(app.stores.jobs.get('G-1\0x')).resolves.toBeUndefined();
    }, 30_000);

    it('answers 503 and stores nothing when the insert fails, or when its commit does', async () => {
      const { db, query } = open();
      const { schema, instances } = await inboxInstances([db]);
      const app = instances[0]!;
      await query.query(`create function "${schema}".refuse() returns trigger language plpgsql as $$
        begin raise exception 'refused by a test trigger'; end $$`);
      await query.query(
        `create trigger refuse_now before insert on "${schema}".inbox for each row execute function "${schema}".refuse()`,
      );
      const refused = await app.send(fixture('video.completed.json'));
      expect(refused.status).toBe(503);
      expect(refused.json).toMatchObject({ error: 'store_unavailable' });
      await query.query(`drop trigger refuse_now on "${schema}".inbox`);
      // A deferred constraint trigger fails at COMMIT, after the insert itself succeeded.
      await query.query(`create constraint trigger refuse_at_commit after insert on "${schema}".inbox
        deferrable initially deferred for each row execute function "${schema}".refuse()`);
      const atCommit = await app.send(fixture('video.completed.json'));
      expect(atCommit.status).toBe(503);
      expect(await count(query, schema, 'inbox')).toBe(0);
      await query.query(`drop trigger refuse_at_commit on "${schema}".inbox`);
      expect((await app.send(fixture('video.completed.json'))).json).toMatchObject({ queued: true });
      expect(await count(query, schema, 'inbox')).toBe(1);
    }, 30_000);

    it('counts, lists, replays, retries dead letters and prunes finished rows', async () => {
      const { db, query } = open();
      const clock = testClock();
      const { schema, instances } = await inboxInstances([db], { now: clock.now });
      const { inbox, send } = instances[0]!;
      for (const job of ['G-OPS1', 'G-OPS2', 'G-OPS3']) await send(event('video.completed.json', { jobId: job }));
      clock.advance(60_000);
      expect(await inbox.stats()).toEqual({
        pending: 3,
        oldestPendingMs: expect.any(Number),
        retrying: 0,
        processing: 0,
        dead: 0,
        done: 0,
      });
      const set = (status: string, job: string, extra = '') =>
        query.query(`update "${schema}".inbox set status = '${status}'${extra} where job_id = '${job}'`);
      await set('dead', 'G-OPS1', ", attempts = 10, last_error = 'boom'");
      await set('done', 'G-OPS2', `, processed_at = '${new Date(clock.now() - 8 * 86_400_000).toISOString()}'`);
      await set('pending', 'G-OPS3', ', attempts = 2');
      expect(await inbox.stats()).toMatchObject({ pending: 1, retrying: 1, dead: 1, done: 1 });
      expect((await inbox.list({ status: 'dead' })).map((r) => [r.jobId, r.attempts, r.lastError])).toEqual([
        ['G-OPS1', 10, 'boom'],
      ]);
      expect(await inbox.list({ limit: 2 })).toHaveLength(2);
      const deadId = (await inbox.list({ status: 'dead' }))[0]!.eventId;
      expect(await inbox.replay(deadId)).toEqual({ replayed: true, status: 'dead' });
      expect(await inbox.replay(deadId)).toEqual({ replayed: false, status: 'pending' });
      expect(await inbox.replay('evt_missing')).toEqual({ replayed: false, status: undefined });
      await set('dead', 'G-OPS1');
      await set('dead', 'G-OPS3');
      expect(await inbox.retryDead()).toBe(2);
      expect(await inbox.stats()).toMatchObject({ pending: 2, retrying: 0, dead: 0, done: 1 });
      expect(await inbox.prune({ olderThanMs: 9 * 86_400_000 })).toBe(0);
      expect(await inbox.prune()).toBe(1); // older than the default 7 days
      expect(await count(query, schema, 'inbox')).toBe(2);
    }, 30_000);
  });
}

describeInbox('pg', () => ({ db: dbs.pg.pools[0]!, query: dbs.pg.pools[0]! }));
describeInbox('PGlite', () => ({ db: dbs.pglite, query: dbs.pglite }));
