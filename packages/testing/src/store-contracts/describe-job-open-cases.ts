/// <reference types="jest" />
import { applyObservation, listOpenJobs, type JobState, type JobStore } from '@ai-stats-webhooks/core';
import { JOB_STORE_CONTRACT_DEFAULTS, type JobContractSuite } from './describe-job-store-contract';
import { CONTRACT_EPOCH_MS, jobIds, writeJob } from './write-job';

/**
 * The job contract cases of `listOpen`: only queued and processing jobs, oldest first, and a job
 * that turns terminal leaves it, also under concurrent writers. With `{ listOpen: false }` they
 * check `listOpenJobs(store)`, what the poller reads from a store without `listOpen`.
 *
 * @example
 * ```ts
 * describe('JobStore contract: mine', () => describeJobOpenCases(suite));
 * ```
 */
export function describeJobOpenCases(suite: JobContractSuite): void {
  const { timeoutMs } = suite.context;
  const what = suite.listOpen ? 'listOpen' : 'listOpenJobs (no listOpen)';
  const listOpen = (store: JobStore, limit?: number): Promise<JobState[]> => {
    const options = limit === undefined ? {} : { limit };
    if (!suite.listOpen) return listOpenJobs(store, options);
    if (typeof store.listOpen !== 'function') {
      throw new Error(
        'Expected the store to have listOpen(options) (the open jobs, oldest first), found none. Fix: implement it, or pass { listOpen: false } to describeJobStoreContract.',
      );
    }
    return Promise.resolve(store.listOpen(options));
  };

  it(
    `${what}: lists only queued and processing jobs, oldest first; a job that turns terminal leaves`,
    async () => {
      const { store } = await suite.open();
      expect(await listOpen(store)).toEqual([]);
      await writeJob(store, 'G-1', 'queued', 1);
      await writeJob(store, 'G-2', 'completed', 2);
      await writeJob(store, 'G-3', 'processing', 3);
      await writeJob(store, 'G-4', 'queued', 4);
      await writeJob(store, 'G-1', 'processing', 5, { progress: 40 }); // still open: keeps its place
      await writeJob(store, 'G-3', 'failed', 6);
      const open = await listOpen(store);
      expect(jobIds(open)).toEqual(['G-1', 'G-4']);
      for (const job of open) expect(job).toEqual(await store.get(job.id));
      expect(jobIds(await listOpen(store, 1))).toEqual(['G-1']);
      await writeJob(store, 'G-4', 'cancelled', 7);
      expect(jobIds(await listOpen(store))).toEqual(['G-1']);
      await writeJob(store, 'G-1', 'expired', 8);
      expect(await listOpen(store)).toEqual([]);
      expect(jobIds(await store.list())).toEqual(['G-4', 'G-3', 'G-2', 'G-1']); // terminal jobs stay listed
    },
    timeoutMs,
  );

  it(
    `${what}: stays exact when writers race on many jobs`,
    async () => {
      const { stores } = await suite.open();
      const ids = Array.from({ length: 30 }, (_, i) => `G-open-${i}`);
      const at = (i: number) => new Date(CONTRACT_EPOCH_MS + (i + 1) * 1000);
      const events = ids.flatMap((id, i) =>
        (['queued', 'processing', ...(i % 3 === 0 ? ['completed' as const] : []), 'processing'] as const).map(
          (status, step) => ({ id, i, status, progress: 20 * step }),
        ),
      );
      await Promise.all(
        events.map(({ id, i, status, progress }, n) => {
          const observation = { id, kind: 'video', status, progress, source: 'webhook' } as const;
          return stores[n % stores.length]!.update(
            id,
            (current) => applyObservation(current, observation, at(i)).state,
          );
        }),
      );
      const open = ids.filter((_, i) => i % 3 !== 0);
      expect(jobIds(await listOpen(stores[0]!))).toEqual(open);
    },
    timeoutMs,
  );

  const { manyJobs } = JOB_STORE_CONTRACT_DEFAULTS;
  it(
    `${what}: lists ${manyJobs} open jobs across pages, oldest first`,
    async () => {
      const { store } = await suite.open();
      const ids = Array.from({ length: manyJobs }, (_, i) => `G-open-many-${i}`);
      for (const [i, id] of ids.entries()) await writeJob(store, id, i % 10 === 0 ? 'completed' : 'queued', i + 1);
      const open = ids.filter((_, i) => i % 10 !== 0);
      expect(jobIds(await listOpen(store))).toEqual(open);
      expect(jobIds(await listOpen(store, manyJobs - 30))).toEqual(open.slice(0, manyJobs - 30));
    },
    timeoutMs,
  );

  it(
    `${what} and list: a limit of 0 lists no job`,
    async () => {
      const { store } = await suite.open();
      await writeJob(store, 'G-limit-0', 'queued', 1);
      expect(await store.list({ limit: 0 })).toEqual([]);
      expect(await listOpen(store, 0)).toEqual([]);
    },
    timeoutMs,
  );
}
