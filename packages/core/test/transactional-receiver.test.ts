import {
  createMemoryJobStore,
  createReceiver,
  type ClaimResult,
  type DedupeStore,
  type JobState,
  type JobStore,
  type StoreTransaction,
  type TransactionalStores,
} from '@ai-stats-webhooks/core';
import { SECRET, event, fixture, sign, type WebhookFixture } from '../../../test/helpers/deliveries';

const T = 1786528925;

// A tiny transactional store in memory: each transaction works on copies and publishes them on
// commit; a rollback drops them. The "rows" a handler inserts through tx commit the same way.
function memoryTransactionalStores() {
  const done = new Set<string>();
  const locked = new Set<string>();
  const jobs = new Map<string, JobState>();
  const rows: string[] = [];
  const jobStore = (map: Map<string, JobState>): JobStore => ({
    get: (id) => map.get(id),
    update: (id, apply) => {
      const next = apply(map.get(id));
      map.set(id, next);
      return next;
    },
    list: () => [...map.values()].reverse(),
  });
  const stores: TransactionalStores<{ insert(row: string): void }> = {
    dedupe: { claim: () => ({ outcome: 'in_flight' }), commit: () => false, release: () => false },
    jobs: jobStore(jobs),
    async transaction(work) {
      const draft = { done: new Set<string>(), jobs: new Map(jobs), rows: [] as string[], locks: [] as string[] };
      const dedupe: DedupeStore = {
        claim: (key): ClaimResult => {
          if (locked.has(key)) return { outcome: 'in_flight' };
          if (done.has(key)) return { outcome: 'done' };
          locked.add(key);
          draft.locks.push(key);
          return { outcome: 'claimed', token: 'tx' };
        },
        commit: (key) => (draft.done.add(key), true),
        release: () => true,
      };
      const scope: StoreTransaction<{ insert(row: string): void }> = {
        tx: { insert: (row) => void draft.rows.push(row) },
        dedupe,
        jobs: jobStore(draft.jobs),
      };
      try {
        const value = await work(scope);
        for (const key of draft.done) done.add(key);
        for (const [id, job] of draft.jobs) jobs.set(id, job);
        rows.push(...draft.rows);
        return value;
      } finally {
        for (const key of draft.locks) locked.delete(key);
      }
    },
  };
  return { stores, jobs, rows };
}

function setup() {
  const { stores, jobs, rows } = memoryTransactionalStores();
  const receiver = createReceiver({ secret: SECRET, now: () => T * 1000, logger: {}, stores });
  const send = async (f: WebhookFixture) => {
    const d = sign(f, { timestamp: T });
    const response = await receiver.handle({ method: 'POST', headers: d.headers, rawBody: d.body });
    return { ...response, json: JSON.parse(response.body) as Record<string, unknown> };
  };
  return { receiver, send, jobs, rows };
}

describe('receiver with transactional stores', () => {
  it('commits the event mark, the job update and the handler writes together', async () => {
    const { receiver, send, jobs, rows } = setup();
    receiver.on('video.completed', ({ job, tx }) => (tx as { insert(row: string): void }).insert(job.id));
    expect((await send(fixture('video.completed.json'))).status).toBe(200);
    expect(rows).toEqual(['G-01KA7Q3M9V2X5C8B4N6D1F0H7J']);
    expect(jobs.get('G-01KA7Q3M9V2X5C8B4N6D1F0H7J')).toMatchObject({ status: 'completed' });
    expect((await send(event('video.completed.json', { attempt: 2 }))).json).toMatchObject({ duplicate: true });
    expect(rows).toHaveLength(1);
  });

  it('rolls all of it back when a handler throws (500), and the retry sees the same first transition', async () => {
    const { receiver, send, jobs, rows } = setup();
    const seen: unknown[] = [];
    let fail = true;
    receiver.on('video.completed', ({ tx, transition }) => {
      seen.push([transition.previous, transition.changed]);
      (tx as { insert(row: string): void }).insert('written');
      if (fail) throw new Error('disk full');
    });
    expect((await send(fixture('video.completed.json'))).status).toBe(500);
    expect(rows).toEqual([]);
    expect(jobs.size).toBe(0);
    fail = false;
    expect((await send(event('video.completed.json', { attempt: 2 }))).status).toBe(200);
    expect(rows).toEqual(['written']);
    expect(seen).toEqual([
      [undefined, true],
      [undefined, true],
    ]);
  });

  it('answers 409 to a copy while the first is in its transaction, and runs the handler once', async () => {
    const { receiver, send } = setup();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let runs = 0;
    receiver.on('video.completed', async () => {
      runs++;
      await gate;
    });
    const first = send(fixture('video.completed.json'));
    await new Promise((resolve) => setImmediate(resolve));
    expect((await send(event('video.completed.json', { attempt: 2 }))).status).toBe(409);
    release();
    expect((await first).status).toBe(200);
    expect(runs).toBe(1);
  });

  it('answers 503 when the transaction itself fails, and refuses stores together with dedupe or jobs', async () => {
    const broken: TransactionalStores = {
      ...memoryTransactionalStores().stores,
      transaction: () => Promise.reject(new Error('connection terminated')),
    };
    const receiver = createReceiver({ secret: SECRET, now: () => T * 1000, logger: {}, stores: broken });
    const d = sign(fixture('video.completed.json'), { timestamp: T });
    const res = await receiver.handle({ method: 'POST', headers: d.headers, rawBody: d.body });
    expect(res.status).toBe(503);
    expect(JSON.parse(res.body)).toMatchObject({ error: 'store_unavailable' });
    expect(() => createReceiver({ secret: SECRET, stores: broken, jobs: createMemoryJobStore() })).toThrow(
      /Option "stores"/,
    );
  });
});
