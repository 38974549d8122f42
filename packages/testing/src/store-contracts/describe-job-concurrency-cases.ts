/// <reference types="jest" />
import { applyObservation, type JobObservation, type JobState } from '@ai-stats-webhooks/core';
import { JOB_STORE_CONTRACT_DEFAULTS, type JobContractSuite } from './describe-job-store-contract';
import { CONTRACT_EPOCH_MS, jobIds, writeJob } from './write-job';

/**
 * The job contract cases of many writers at once: every update started before any is awaited,
 * spread over the `instances` handles, so that an async store really races.
 *
 * @example
 * ```ts
 * describe('JobStore contract: mine', () => describeJobConcurrencyCases(suite));
 * ```
 */
export function describeJobConcurrencyCases(suite: JobContractSuite): void {
  const { timeoutMs } = suite.context;
  const { concurrentWriters: writers } = JOB_STORE_CONTRACT_DEFAULTS;

  it(
    `loses no update when ${writers} writers race on one job (apply may run more than once)`,
    async () => {
      const { stores } = await suite.open();
      await writeJob(stores[0]!, 'G-race', 'processing', 1);
      let calls = 0;
      const torn: unknown[] = [];
      // A counter only an atomic update keeps exact; progress and version always move together.
      const increment = (current: JobState | undefined): JobState => {
        calls++;
        if (current === undefined) throw new Error('Expected apply to see the stored job G-race, found none.');
        if (current.version !== current.progress + 1) torn.push(current);
        return { ...current, progress: current.progress + 1, version: current.version + 1 };
      };
      const pending = Array.from({ length: writers }, (_, i) => stores[i % stores.length]!.update('G-race', increment));
      const answers = await Promise.all(pending);
      expect(torn).toEqual([]);
      // Each writer got back its own stored state: progress 1..N once each, version = progress + 1.
      expect(answers.map((job) => job.progress).sort((a, b) => a - b)).toEqual(range(1, writers));
      for (const job of answers) expect(job.version).toBe(job.progress + 1);
      expect(await stores[0]!.get('G-race')).toMatchObject({ progress: writers, version: writers + 1 });
      expect(calls).toBeGreaterThanOrEqual(writers);
    },
    timeoutMs,
  );

  it(
    'never moves a job backwards when writers apply different events at once',
    async () => {
      const { stores } = await suite.open();
      const events: JobObservation['status'][] = ['queued', 'processing', 'completed', 'processing', 'queued'];
      const at = new Date(CONTRACT_EPOCH_MS);
      const pending = events.map((status, i) => {
        const observation = { id: 'G-order', kind: 'video', status, progress: 10 * i, source: 'webhook' } as const;
        return stores[i % stores.length]!.update(
          'G-order',
          (current) => applyObservation(current, observation, at).state,
        );
      });
      await Promise.all(pending);
      expect(await stores[0]!.get('G-order')).toMatchObject({ status: 'completed', progress: 100 });
    },
    timeoutMs,
  );

  it(
    'creates many jobs at once without losing one from list',
    async () => {
      const { stores } = await suite.open();
      const ids = range(1, 30).map((i) => `G-new-${i}`);
      await Promise.all(ids.map((id, i) => writeJob(stores[i % stores.length]!, id, 'queued', i + 1)));
      expect(jobIds(await stores[0]!.list())).toEqual([...ids].reverse());
    },
    timeoutMs,
  );

  it(
    'an apply that throws: update rejects with its error, stores nothing, and the job stays writable',
    async () => {
      const { store } = await suite.open();
      const before = await writeJob(store, 'G-throws', 'queued', 1);
      const boom = new Error('apply refused the state');
      const failed = Promise.resolve().then(() =>
        store.update('G-throws', () => {
          throw boom;
        }),
      );
      await expect(failed).rejects.toBe(boom);
      expect(await store.get('G-throws')).toEqual(before);
      // A lock or transaction the throw left open would hang this write until the case times out.
      expect((await writeJob(store, 'G-throws', 'processing', 2, { progress: 10 })).status).toBe('processing');
    },
    timeoutMs,
  );
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}
