import type { PostgresDatabase, PostgresQueryable } from '@ai-stats-webhooks/postgres';
import { event } from '../../../test/helpers/deliveries';
import { inboxInstances } from './helpers/inbox-setup';
import { useBothDatabases } from './helpers/both-databases';

// A stored body that no longer parses (corrupted, or written before a schema change) can never
// succeed: the worker dead-letters it at its first attempt instead of retrying it for an hour.
const dbs = useBothDatabases();

function describeStoredBody(name: string, open: () => { db: PostgresDatabase; query: PostgresQueryable }) {
  describe(`a stored body that no longer parses, on ${name}`, () => {
    it('is dead at its first attempt, with invalid_payload as the reason, and no handler runs', async () => {
      const { db, query } = open();
      const { schema, instances } = await inboxInstances([db]);
      const app = instances[0]!;
      let runs = 0;
      app.receiver.onAny(() => void runs++);
      const bodies: Record<string, string> = {
        'G-POISON1': '{"id": "evt_cut_off',
        'G-POISON2': '{"hello":"world"}',
        'G-POISON3': '[1,2,3]',
      };
      for (const jobId of [...Object.keys(bodies), 'G-FINE']) {
        expect((await app.send(event('video.completed.json', { jobId }))).json).toMatchObject({ queued: true });
      }
      for (const [jobId, body] of Object.entries(bodies)) {
        await query.query(`update "${schema}".inbox set body = $1 where job_id = $2`, [body, jobId]);
      }
      const worker = app.worker(); // maxAttempts 10
      expect(await worker.drain({ timeoutMs: 10_000 })).toMatchObject({ dead: 3, retry: 0, processed: 1 });
      expect(runs).toBe(1);
      const dead = await app.inbox.list({ status: 'dead' });
      expect(dead.map((row) => [row.jobId, row.attempts]).sort()).toEqual([
        ['G-POISON1', 1],
        ['G-POISON2', 1],
        ['G-POISON3', 1],
      ]);
      for (const row of dead) {
        expect(row.lastError).toContain('invalid_payload');
        expect(row.lastError).toContain(row.eventId);
      }
    }, 30_000);
  });
}

describeStoredBody('pg', () => ({ db: dbs.pg.pools[0]!, query: dbs.pg.pools[0]! }));
describeStoredBody('PGlite', () => ({ db: dbs.pglite, query: dbs.pglite }));
