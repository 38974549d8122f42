import type { InboxEntry } from '@ai-stats-webhooks/core';
import {
  createPostgresInbox,
  fromPGlite,
  fromPgPool,
  migrate,
  type PostgresDriver,
  type PostgresQueryable,
} from '@ai-stats-webhooks/postgres';
import { videoDeliveries, count, inboxInstances } from './helpers/inbox-setup';
import { useBothDatabases } from './helpers/both-databases';

// createPostgresInbox's group commit: deliveries that arrive while an INSERT is in flight share
// the next one, and each caller hears its own answer only after that INSERT has committed.
const dbs = useBothDatabases();

/** A driver that records how many rows each enqueue INSERT carried. */
function countingDriver(driver: PostgresDriver): PostgresDriver & { readonly inserts: number[] } {
  const inserts: number[] = [];
  return {
    kind: driver.kind,
    inserts,
    query(text, params) {
      if (text.startsWith('insert into') && text.includes('.inbox')) inserts.push(((params?.length ?? 1) - 1) / 9);
      return driver.query(text, params);
    },
    transaction: (work) => driver.transaction(work),
  };
}

let entries = 0;
function entry(eventId: string, attempt = 1): InboxEntry {
  entries++;
  return {
    eventId,
    dedupeKey: eventId,
    type: 'video.progress',
    jobId: `G-BATCH${entries}`,
    attempt,
    prefix: 'phaseo',
    legacy: false,
    body: JSON.stringify({ id: eventId, n: entries }),
    receivedAt: new Date(),
  };
}

async function freshInbox(driver: PostgresDriver, options: { readonly maxBatch?: number } = {}) {
  const schema = `batch_${Date.now().toString(36)}_${++entries}`;
  await migrate(driver, { schema });
  const counted = countingDriver(driver);
  return { schema, inserts: counted.inserts, inbox: createPostgresInbox({ db: counted, schema, ...options }) };
}

function describeBatching(name: string, open: () => { driver: PostgresDriver; query: PostgresQueryable }) {
  describe(`inbox group commit on ${name}`, () => {
    it('stores concurrent deliveries in shared INSERTs, each answered once its row is committed', async () => {
      const { driver, query } = open();
      const { schema, inserts, inbox } = await freshInbox(driver);
      const ids = Array.from({ length: 150 }, (_, i) => `evt_batch_${i}`);
      // Every id once, and every tenth id twice more: copies in the same batch and in later ones.
      const calls = [...ids, ...ids.filter((_, i) => i % 10 === 0), ...ids.filter((_, i) => i % 10 === 0)];
      const answers = await Promise.all(
        calls.map(async (id) => {
          const answer = await inbox.enqueue(entry(id));
          // Committed when answered: another connection (pg) sees the row already.
          const seen = await query.query(`select 1 from "${schema}".inbox where event_id = $1`, [id]);
          return { id, duplicate: answer.duplicate, seen: seen.rows.length };
        }),
      );
      for (const id of ids) {
        const own = answers.filter((a) => a.id === id);
        expect(own.filter((a) => !a.duplicate)).toHaveLength(1);
        expect(own.every((a) => a.seen === 1)).toBe(true);
      }
      expect(await count(query, schema, 'inbox')).toBe(ids.length);
      expect(inserts[0]).toBe(100); // the calls of one event-loop turn go together, at most maxBatch
      expect(inserts.length).toBeLessThan(calls.length / 4);
      expect(Math.max(...inserts)).toBeLessThanOrEqual(100);
    }, 30_000);

    it('stores the first copy of an event id that comes twice in one batch; the second is a duplicate', async () => {
      const { driver, query } = open();
      const { schema, inserts, inbox } = await freshInbox(driver);
      const lead = inbox.enqueue(entry('evt_lead'));
      const first = inbox.enqueue(entry('evt_twice', 1));
      const second = inbox.enqueue(entry('evt_twice', 2));
      expect(await Promise.all([lead, first, second])).toEqual([
        { duplicate: false },
        { duplicate: false },
        { duplicate: true },
      ]);
      expect(inserts).toEqual([2]); // one statement, and the copy never reached PostgreSQL
      const { rows } = await query.query<{ delivery_attempt: number }>(
        `select delivery_attempt from "${schema}".inbox where event_id = 'evt_twice'`,
      );
      expect(rows).toEqual([{ delivery_attempt: 1 }]);
    }, 30_000);

    it('rejects every caller of a batch that fails for another reason than its data; the next batch goes on', async () => {
      const { driver, query } = open();
      const { schema, inserts, inbox } = await freshInbox(driver);
      await query.query(`create function "${schema}".refuse() returns trigger language plpgsql as $$
        begin if new.event_id like '%poison%' then raise exception 'refused by a test trigger'; end if;
        return new; end $$`);
      await query.query(
        `create trigger refuse before insert on "${schema}".inbox for each row execute function "${schema}".refuse()`,
      );
      await expect(inbox.enqueue(entry('evt_ok_lead'))).resolves.toEqual({ duplicate: false });
      const batch = ['evt_ok_b', 'evt_poison', 'evt_ok_c', 'evt_ok_b'].map((id) => inbox.enqueue(entry(id)));
      const settled = await Promise.allSettled(batch);
      expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected', 'rejected', 'rejected']);
      expect(String((settled[0] as PromiseRejectedResult).reason)).toMatch(/refused by a test trigger/);
      expect(inserts).toEqual([1, 3]);
      expect(await count(query, schema, 'inbox')).toBe(1);
      await expect(inbox.enqueue(entry('evt_ok_b'))).resolves.toEqual({ duplicate: false });
      expect(inserts).toEqual([1, 3, 1]);
      expect(await count(query, schema, 'inbox')).toBe(2);
    }, 30_000);

    it('writes the rows of a batch one by one after a data error, so that only the bad row is rejected', async () => {
      const { driver, query } = open();
      const { schema, inserts, inbox } = await freshInbox(driver);
      // PostgreSQL text cannot hold U+0000: the batch's INSERT fails with 22021, for all of its rows.
      const ids = ['evt_nul_a', 'evt_nul_\u0000_bad', 'evt_nul_b', 'evt_nul_a'];
      const settled = await Promise.allSettled(ids.map((id) => inbox.enqueue(entry(id))));
      expect(settled.map((s) => (s.status === 'fulfilled' ? s.value : 'rejected'))).toEqual([
        { duplicate: false },
        'rejected',
        { duplicate: false },
        { duplicate: true },
      ]);
      expect((settled[1] as PromiseRejectedResult).reason).toMatchObject({ code: '22021' });
      expect(inserts).toEqual([3, 1, 1, 1, 1]); // the batch, then each row alone
      expect(await count(query, schema, 'inbox')).toBe(2);
      const again = await Promise.all(['evt_nul_a', 'evt_nul_b'].map((id) => inbox.enqueue(entry(id))));
      expect(again).toEqual([{ duplicate: true }, { duplicate: true }]);
      expect(inserts).toEqual([3, 1, 1, 1, 1, 2]); // a batch without the bad row is one statement again
    }, 30_000);

    it('rejects only the row that breaks a constraint, the others are stored', async () => {
      const { driver, query } = open();
      const { schema, inbox } = await freshInbox(driver);
      await query.query(`alter table "${schema}".inbox add constraint no_bad check (event_id not like '%bad%')`);
      const settled = await Promise.allSettled(
        ['evt_ck_a', 'evt_ck_bad', 'evt_ck_b'].map((id) => inbox.enqueue(entry(id))),
      );
      expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect((settled[1] as PromiseRejectedResult).reason).toMatchObject({ code: '23514' });
      expect(await count(query, schema, 'inbox')).toBe(2);
    }, 30_000);

    it('writes a lone delivery at once, and the ones that arrive meanwhile as the next statement', async () => {
      const { driver } = open();
      const { inserts, inbox } = await freshInbox(driver);
      const lone = inbox.enqueue(entry('evt_lone'));
      while (inserts.length === 0) await new Promise((resolve) => setImmediate(resolve));
      const next = ['evt_next_1', 'evt_next_2', 'evt_next_3'].map((id) => inbox.enqueue(entry(id)));
      await Promise.all([lone, ...next]);
      expect(inserts).toEqual([1, 3]);
    }, 30_000);

    it('rejects the whole batch when its COMMIT fails', async () => {
      const { driver, query } = open();
      const { schema, inbox } = await freshInbox(driver);
      await query.query(`create function "${schema}".refuse() returns trigger language plpgsql as $$
        begin raise exception 'refused at commit'; end $$`);
      await query.query(`create constraint trigger refuse_at_commit after insert on "${schema}".inbox
        deferrable initially deferred for each row execute function "${schema}".refuse()`);
      const settled = await Promise.allSettled(['evt_c0', 'evt_c1', 'evt_c2'].map((id) => inbox.enqueue(entry(id))));
      expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected', 'rejected']);
      expect(String((settled[2] as PromiseRejectedResult).reason)).toMatch(/refused at commit/);
      expect(await count(query, schema, 'inbox')).toBe(0);
    }, 30_000);

    it('keeps each INSERT to maxBatch rows, and maxBatch 1 sends one statement per delivery', async () => {
      const { driver } = open();
      const two = await freshInbox(driver, { maxBatch: 2 });
      await Promise.all(Array.from({ length: 9 }, (_, i) => two.inbox.enqueue(entry(`evt_two_${i}`))));
      expect(two.inserts).toEqual([2, 2, 2, 2, 1]);
      const one = await freshInbox(driver, { maxBatch: 1 });
      await Promise.all(Array.from({ length: 5 }, (_, i) => one.inbox.enqueue(entry(`evt_one_${i}`))));
      expect(one.inserts).toEqual([1, 1, 1, 1, 1]);
    }, 30_000);

    it('acknowledges 50 concurrent deliveries through the receiver', async () => {
      const { driver, query } = open();
      const { schema, instances } = await inboxInstances([driver]);
      const responses = await Promise.all(videoDeliveries(10, 5, 'G-BATCHRCV').map((d) => instances[0]!.send(d)));
      expect(responses.map((r) => r.status)).toEqual(responses.map(() => 200));
      expect(responses.every((r) => r.json.queued === true)).toBe(true);
      expect(await count(query, schema, 'inbox')).toBe(50);
    }, 30_000);
  });
}

describeBatching('pg', () => ({ driver: fromPgPool(dbs.pg.pools[0]!), query: dbs.pg.pools[0]! }));
describeBatching('PGlite', () => ({ driver: fromPGlite(dbs.pglite), query: dbs.pglite }));

describe('inbox group commit on pg, two instances', () => {
  it('stores batches that share event ids in opposite orders without a deadlock, each id once', async () => {
    const { schema, inbox: first } = await freshInbox(fromPgPool(dbs.pg.pools[0]!));
    const second = createPostgresInbox({ db: dbs.pg.pool(), schema });
    // Slow rows, so that the two batches are surely inserting at the same time.
    await dbs.pg.pools[0]!.query(`create function "${schema}".slow() returns trigger language plpgsql as $$
      begin perform pg_sleep(0.002); return new; end $$`);
    await dbs.pg.pools[0]!.query(
      `create trigger slow before insert on "${schema}".inbox for each row execute function "${schema}".slow()`,
    );
    const ids = Array.from({ length: 60 }, (_, i) => `evt_both_${String(i).padStart(2, '0')}`);
    const answers = await Promise.all([
      ...[...ids].map((id) => first.enqueue(entry(id))),
      ...[...ids].reverse().map((id) => second.enqueue(entry(id))),
    ]);
    expect(answers.filter((a) => !a.duplicate)).toHaveLength(ids.length);
    expect(await count(dbs.pg.pools[0]!, schema, 'inbox')).toBe(ids.length);
  }, 30_000);
});

describe('maxBatch', () => {
  it.each([0, 1.5, '10', 7_282])('refuses %p, naming the option', (maxBatch) => {
    expect(() => createPostgresInbox({ db: dbs.pglite, maxBatch: maxBatch as number })).toThrow(/maxBatch/);
  });
});
