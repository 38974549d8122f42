import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyObservation } from '@ai-stats-webhooks/core';
import { createPostgresStores, migrate } from '@ai-stats-webhooks/postgres';
import { loadPGlite } from './helpers/load-pglite';

// The examples' embedded default: state in a PGlite data directory survives a restart.
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ai-stats-pglite-dir-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('PGlite on a data directory', () => {
  it('keeps the processed ids and the jobs across a close and a reopen', async () => {
    const { PGlite } = await loadPGlite();
    const first = await PGlite.create(dir);
    await migrate(first);
    const stores = createPostgresStores({ db: first });
    await stores.transaction(async (scope) => {
      const claim = await scope.dedupe.claim('evt_kept');
      const observation = {
        id: 'G-kept',
        kind: 'video',
        status: 'processing',
        progress: 40,
        source: 'webhook',
      } as const;
      await scope.jobs.update('G-kept', (job) => applyObservation(job, observation, new Date()).state);
      await scope.dedupe.commit('evt_kept', (claim as { token: string }).token);
    });
    await first.close();

    const second = await PGlite.create(dir);
    expect((await migrate(second)).applied).toEqual([]);
    const reopened = createPostgresStores({ db: second });
    expect((await reopened.dedupe.claim('evt_kept')).outcome).toBe('done');
    expect(await reopened.jobs.get('G-kept')).toMatchObject({ status: 'processing', progress: 40 });
    await second.close();
  }, 60_000);
});
