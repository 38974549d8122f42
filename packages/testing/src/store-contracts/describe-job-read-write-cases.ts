/// <reference types="jest" />
import type { JobState, JobStatus } from '@ai-stats-webhooks/core';
import { JOB_STORE_CONTRACT_DEFAULTS, type JobContractSuite } from './describe-job-store-contract';
import { CONTRACT_EPOCH_MS, jobIds, writeJob } from './write-job';

/**
 * The job contract cases of one writer: what `get` and `update` give back, versions, an
 * unchanged `apply`, and `list` (newest first, `limit`, `status`, more than one page).
 *
 * @example
 * ```ts
 * describe('JobStore contract: mine', () => describeJobReadWriteCases(suite));
 * ```
 */
export function describeJobReadWriteCases(suite: JobContractSuite): void {
  const { timeoutMs } = suite.context;

  it(
    'answers undefined for an unknown job, and gives back every field it stored',
    async () => {
      const { store } = await suite.open();
      expect(await store.get('G-unknown')).toBeUndefined();
      const stored = new Map<string, JobState>();
      for (const job of sampleJobs()) {
        const seen: (JobState | undefined)[] = [];
        const answer = await store.update(job.id, (current) => {
          seen.push(current);
          return job;
        });
        expect(seen.length).toBeGreaterThan(0);
        for (const current of seen) expect(current).toEqual(stored.get(job.id)); // apply sees what is stored
        expect(answer).toEqual(job);
        expect(await store.get(job.id)).toEqual(job);
        stored.set(job.id, job);
      }
      expect(await store.get('G-unknown')).toBeUndefined();
    },
    timeoutMs,
  );

  it(
    'stores text a database cannot keep as is (U+0000, unpaired surrogates): as sent, or with U+FFFD in their place',
    async () => {
      const { store } = await suite.open();
      const message = 'provider said \u0000 then \ud800 and \udc00, not \ud83d\ude00';
      const job: JobState = { ...sampleJobs()[2]!, id: 'G-text', failure: { code: 'provider_error', message } };
      const answer = await store.update(job.id, () => job);
      const read = await store.get(job.id);
      const replaced = 'provider said \ufffd then \ufffd and \ufffd, not \ud83d\ude00';
      expect([message, replaced]).toContain(read?.failure?.message);
      expect({ ...read, failure: undefined }).toEqual({ ...job, failure: undefined });
      expect(answer.failure?.message).toBe(read?.failure?.message);
      expect(await store.update(job.id, (current) => current!)).toEqual(read);
    },
    timeoutMs,
  );

  it(
    'stores the versions the state machine counts, and update returns what it stored',
    async () => {
      const { store } = await suite.open();
      const steps = [
        await writeJob(store, 'G-v', 'queued', 1),
        await writeJob(store, 'G-v', 'processing', 2, { progress: 20 }),
        await writeJob(store, 'G-v', 'processing', 3, { progress: 20 }), // nothing new: no change
        await writeJob(store, 'G-v', 'queued', 4), // backwards: refused, no change
        await writeJob(store, 'G-v', 'completed', 5),
      ];
      expect(steps.map((job) => [job.status, job.progress, job.version])).toEqual([
        ['queued', 0, 1],
        ['processing', 20, 2],
        ['processing', 20, 2],
        ['processing', 20, 2],
        ['completed', 100, 3],
      ]);
      expect(await store.get('G-v')).toEqual(steps.at(-1));
    },
    timeoutMs,
  );

  it(
    'writes nothing when apply returns the current state unchanged',
    async () => {
      const { store } = await suite.open();
      await writeJob(store, 'G-same', 'queued', 1);
      const before = await writeJob(store, 'G-same', 'processing', 2, { progress: 10 });
      const seen: (JobState | undefined)[] = [];
      const after = await store.update('G-same', (current) => {
        seen.push(current);
        return current!;
      });
      expect(seen.length).toBeGreaterThan(0);
      for (const current of seen) expect(current).toEqual(before); // apply sees what is stored
      expect(after).toEqual(before);
      expect(await store.get('G-same')).toEqual(before); // same version, same updatedAt
      expect(jobIds(await store.list())).toEqual(['G-same']);
    },
    timeoutMs,
  );

  it(
    'lists newest first by creation, with a limit and a status filter',
    async () => {
      const { store } = await suite.open();
      const statuses: JobStatus[] = ['queued', 'processing', 'completed', 'failed', 'cancelled', 'expired'];
      for (const [i, status] of statuses.entries()) await writeJob(store, `G-${i}`, status, i + 1);
      await writeJob(store, 'G-0', 'processing', 10, { progress: 50 }); // a change keeps its place
      const all = await store.list();
      expect(jobIds(all)).toEqual(['G-5', 'G-4', 'G-3', 'G-2', 'G-1', 'G-0']);
      for (const job of all) expect(job).toEqual(await store.get(job.id));
      expect(jobIds(await store.list({ limit: 2 }))).toEqual(['G-5', 'G-4']);
      expect(jobIds(await store.list({ limit: 100 }))).toHaveLength(6);
      expect(jobIds(await store.list({ status: ['processing'] }))).toEqual(['G-1', 'G-0']);
      expect(jobIds(await store.list({ status: ['processing'], limit: 1 }))).toEqual(['G-1']);
      expect(jobIds(await store.list({ status: ['queued'] }))).toEqual([]);
      expect(jobIds(await store.list({ status: ['expired', 'completed', 'failed'] }))).toEqual(['G-5', 'G-3', 'G-2']);
    },
    timeoutMs,
  );

  const { manyJobs } = JOB_STORE_CONTRACT_DEFAULTS;
  it(
    `lists ${manyJobs} jobs across pages, with a limit and a sparse status filter`,
    async () => {
      const { store } = await suite.open();
      const ids: string[] = [];
      for (let i = 0; i < manyJobs; i++) {
        ids.push(`G-many-${i}`);
        await writeJob(store, ids[i]!, i % 10 === 0 ? 'completed' : 'queued', i + 1);
      }
      const newestFirst = [...ids].reverse();
      const completed = newestFirst.filter((id) => Number(id.slice('G-many-'.length)) % 10 === 0);
      expect(jobIds(await store.list())).toEqual(newestFirst);
      expect(jobIds(await store.list({ limit: manyJobs - 30 }))).toEqual(newestFirst.slice(0, manyJobs - 30));
      expect(jobIds(await store.list({ status: ['completed'] }))).toEqual(completed);
      expect(jobIds(await store.list({ status: ['completed'], limit: 20 }))).toEqual(completed.slice(0, 20));
    },
    timeoutMs,
  );
}

// Jobs with every optional field, nulls included, in every kind and source: a store gives them
// back as they were (a column dropped or a null turned into a missing field fails here).
function sampleJobs(): JobState[] {
  const at = (second: number) => new Date(CONTRACT_EPOCH_MS + second * 1000).toISOString();
  const queued: JobState = {
    id: 'G-sample-1',
    kind: 'batch',
    status: 'queued',
    progress: 0,
    source: 'create',
    createdAt: at(1),
    updatedAt: at(1),
    version: 1,
  };
  const completed: JobState = {
    ...queued,
    status: 'completed',
    progress: 100,
    source: 'reconcile',
    updatedAt: at(9),
    version: 4,
    output: {
      contentUrl: 'https://api.example.test/v1/videos/G-sample-1/content',
      downloadUrl: null,
      expiresAt: 1_767_229_200,
    },
    lastEventId: 'evt_01JZSAMPLE',
    appliedEvents: [{ eventId: 'evt_01JZSAMPLE', previous: queued, changed: true }],
  };
  const failed: JobState = {
    id: 'G-sample-2',
    kind: 'video',
    status: 'failed',
    progress: 37,
    source: 'poll',
    createdAt: at(2),
    updatedAt: at(3),
    version: 2,
    failure: { code: 'content_policy', message: null },
  };
  return [queued, completed, failed];
}
