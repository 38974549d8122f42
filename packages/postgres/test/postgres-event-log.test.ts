import type { PGlite } from '@electric-sql/pglite';
import { createPostgresEventLog, fromPGlite, migrate, type EventLogRecord } from '@ai-stats-webhooks/postgres';
import { loadPGlite } from './helpers/load-pglite';

let memory: PGlite;

beforeAll(async () => {
  const { PGlite } = await loadPGlite();
  memory = await PGlite.create();
  await migrate(memory);
}, 60_000);
afterAll(() => memory?.close());

const record = (i: number): EventLogRecord => ({
  event_id: `evt_${i}`,
  type: 'video.completed',
  job_id: `G-${i}`,
  attempt: 1,
  received_at: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
  job_status: 'completed',
  reconciled: i % 2 === 0,
  conflict: i % 2 === 0 ? 'backwards' : null,
});

describe('createPostgresEventLog', () => {
  it('keeps one record per event id, oldest first, the last `limit` of them', async () => {
    const events = createPostgresEventLog({ db: memory });
    for (let i = 1; i <= 5; i++) expect(await events.append(record(i))).toBe(true);
    expect(await events.append({ ...record(3), attempt: 2 })).toBe(false);
    expect(await events.list()).toEqual([1, 2, 3, 4, 5].map(record));
    expect((await events.list({ limit: 2 })).map((r) => r.event_id)).toEqual(['evt_4', 'evt_5']);
  });

  it('appends through a transaction client, committed or rolled back with it', async () => {
    const events = createPostgresEventLog({ db: memory });
    await expect(
      fromPGlite(memory).transaction(async ({ client }) => {
        await events.append(record(10), client);
        throw new Error('handler failed');
      }),
    ).rejects.toThrow('handler failed');
    await fromPGlite(memory).transaction(({ client }) => events.append(record(11), client));
    const ids = (await events.list()).map((r) => r.event_id);
    expect(ids).toContain('evt_11');
    expect(ids).not.toContain('evt_10');
  });
});
