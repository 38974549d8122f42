import type { PGliteInstance as PGlite } from '../packages/postgres/test/helpers/load-pglite';
import { createPostgresInbox, createPostgresStores, migrate } from '@ai-stats-webhooks/postgres';
import { schedulePrune } from '../examples/express/src/prune-schedule';
import { event } from './helpers/deliveries';
import { loadPGlite } from '../packages/postgres/test/helpers/load-pglite';
import { count, inboxInstances, until } from '../packages/postgres/test/helpers/inbox-setup';

// The Express example's pruning (examples/express/src/prune-schedule.ts, started with its
// PostgreSQL and PGlite stores): done inbox rows and expired done marks do not grow forever.
let pglite: PGlite;

beforeAll(async () => {
  const { PGlite } = await loadPGlite();
  pglite = await PGlite.create();
}, 60_000);
afterAll(() => pglite?.close(), 30_000);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('schedulePrune (examples/express)', () => {
  it('prunes old done inbox rows and expired done marks on its timer, logs a failing pass, and stops', async () => {
    const { schema, instances } = await inboxInstances([pglite]);
    const { inbox, stores, send } = instances[0]!;
    await send(event('video.completed.json', { jobId: 'G-OLD1' }));
    await send(event('video.completed.json', { jobId: 'G-NEW1' }));
    const eightDaysAgo = new Date(Date.now() - 8 * 86_400_000).toISOString();
    await pglite.query(`update "${schema}".inbox set status = 'done', processed_at = $1 where job_id = 'G-OLD1'`, [
      eightDaysAgo,
    ]);
    const expire = () =>
      pglite.query(`insert into "${schema}".processed_events (event_key, state, token, expires_at)
        select 'evt_old_' || g, 'done', 't', now() - interval '1 day' from generate_series(1, 10) g
        on conflict (event_key) do update set expires_at = excluded.expires_at`);
    await expire();
    const errors: string[] = [];
    const failing = { prune: () => Promise.reject(new Error('database went away')) };
    const pruning = schedulePrune(
      { inbox, dedupe: stores.dedupe },
      { firstAfterMs: 10, intervalMs: 50, logger: { error: (m: string) => void errors.push(m) } },
    );
    const broken = schedulePrune(
      { inbox: failing },
      { firstAfterMs: 10, intervalMs: 60_000, logger: { error: (m: string) => void errors.push(m) } },
    );
    try {
      await until(async () => (await count(pglite, schema, 'processed_events')) === 0, 5_000);
      await until(async () => (await count(pglite, schema, 'inbox')) === 1, 5_000); // the pending one stays
      await expire();
      await until(async () => (await count(pglite, schema, 'processed_events')) === 0, 5_000); // again, on the interval
    } finally {
      await pruning.stop();
      await broken.stop();
    }
    expect(errors).toEqual(['prune of the inbox failed (the next pass tries again): database went away']);
    await expire();
    await sleep(200);
    expect(await count(pglite, schema, 'processed_events')).toBe(10); // stopped
  }, 30_000);

  it("keeps no process alive: its timers are unref'd", async () => {
    const schema = `prune_refs_${Date.now().toString(36)}`;
    await migrate(pglite, { schema });
    const refTimers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length; // ref'd only
    const before = refTimers();
    const pruning = schedulePrune({
      inbox: createPostgresInbox({ db: pglite, schema }),
      dedupe: createPostgresStores({ db: pglite, schema }).dedupe,
    });
    expect(refTimers()).toBe(before);
    await pruning.stop();
  });
});
