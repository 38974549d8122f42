/// <reference types="jest" />
import { countJobs, type JobCount, type JobStore } from '@ai-stats-webhooks/core';
import { JOB_STORE_CONTRACT_DEFAULTS, type JobContractSuite } from './describe-job-store-contract';
import { writeJob } from './write-job';

/**
 * The job contract cases of `countByStatus`: one count per kind and status with at least one job,
 * which follows status changes, on an empty store none, across more than one page and from every
 * handle. A store without `countByStatus` is checked through `countJobs(store)`, what the
 * Prometheus gauge reads from it (a count of `list()`); with it, `countJobs` must agree.
 *
 * @example
 * ```ts
 * describe('JobStore contract: mine', () => describeJobCountCases(suite));
 * ```
 */
export function describeJobCountCases(suite: JobContractSuite): void {
  const { timeoutMs } = suite.context;

  it(
    'countByStatus (or countJobs without it): an empty store counts no job',
    async () => {
      const { store } = await suite.open();
      expect(await counts(store)).toEqual([]);
    },
    timeoutMs,
  );

  it(
    'countByStatus (or countJobs without it): counts per kind and status, following status changes',
    async () => {
      const { store, stores } = await suite.open();
      await writeJob(store, 'G-1', 'queued', 1);
      await writeJob(store, 'G-2', 'completed', 2);
      await writeJob(store, 'G-3', 'processing', 3);
      await writeJob(store, 'B-1', 'queued', 4, { kind: 'batch' });
      await writeJob(store, 'B-2', 'processing', 5, { kind: 'batch' });
      expect(await counts(store)).toEqual([
        { kind: 'batch', status: 'processing', count: 1 },
        { kind: 'batch', status: 'queued', count: 1 },
        { kind: 'video', status: 'completed', count: 1 },
        { kind: 'video', status: 'processing', count: 1 },
        { kind: 'video', status: 'queued', count: 1 },
      ]);
      await writeJob(store, 'G-3', 'failed', 6); // processing → failed
      await writeJob(store, 'B-1', 'processing', 7, { kind: 'batch' }); // queued → processing
      await writeJob(store, 'G-1', 'processing', 8, { progress: 40 }); // queued → processing
      await writeJob(store, 'G-2', 'queued', 9); // backwards: refused, no change
      const expected: JobCount[] = [
        { kind: 'batch', status: 'processing', count: 2 },
        { kind: 'video', status: 'completed', count: 1 },
        { kind: 'video', status: 'failed', count: 1 },
        { kind: 'video', status: 'processing', count: 1 },
      ];
      for (const handle of stores) expect(await counts(handle)).toEqual(expected); // every instance
    },
    timeoutMs,
  );

  it(
    'countByStatus (or countJobs without it): a job that goes from queued straight to a terminal status counts there only',
    async () => {
      const { store } = await suite.open();
      await writeJob(store, 'G-1', 'queued', 1);
      await writeJob(store, 'G-1', 'cancelled', 2);
      expect(await counts(store)).toEqual([{ kind: 'video', status: 'cancelled', count: 1 }]);
    },
    timeoutMs,
  );

  const { manyJobs } = JOB_STORE_CONTRACT_DEFAULTS;
  it(
    `countByStatus (or countJobs without it): counts ${manyJobs} jobs across pages`,
    async () => {
      const { store, stores } = await suite.open();
      const statusOf = (i: number) => (i % 10 === 0 ? 'completed' : i % 10 === 1 ? 'failed' : 'queued');
      await Promise.all(
        Array.from({ length: manyJobs }, (_, i) =>
          writeJob(stores[i % stores.length]!, `G-count-${i}`, statusOf(i), i + 1),
        ),
      );
      const tenth = Math.ceil(manyJobs / 10);
      expect(await counts(store)).toEqual([
        { kind: 'video', status: 'completed', count: tenth },
        { kind: 'video', status: 'failed', count: Math.ceil((manyJobs - 1) / 10) },
        { kind: 'video', status: 'queued', count: manyJobs - tenth - Math.ceil((manyJobs - 1) / 10) },
      ]);
    },
    timeoutMs,
  );
}

// What the store counts, sorted by kind then status: countByStatus() when it has one (and then
// countJobs must answer the same), else countJobs(store).
async function counts(store: JobStore): Promise<JobCount[]> {
  const viaHelper = sorted(await countJobs(store));
  if (typeof store.countByStatus !== 'function') return viaHelper;
  const answered = await store.countByStatus();
  expect(Array.isArray(answered)).toBe(true);
  const own = sorted(answered.map(({ kind, status, count }) => ({ kind, status, count })));
  expect(viaHelper).toEqual(own);
  return own;
}

function sorted(list: readonly JobCount[]): JobCount[] {
  const key = (c: JobCount) => `${c.kind}\u0000${c.status}`;
  return [...list].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}
