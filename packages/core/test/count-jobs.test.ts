import {
  applyObservation,
  countJobs,
  createMemoryJobStore,
  type JobCount,
  type JobKind,
  type JobStatus,
  type JobState,
  type JobStore,
} from '@ai-stats-webhooks/core';

let clock = 0;
function write(jobs: JobStore, id: string, status: JobStatus, kind: JobKind = 'video'): JobState {
  const at = new Date(1_700_000_000_000 + ++clock * 1000);
  return jobs.update(id, (c) => applyObservation(c, { id, kind, status, source: 'webhook' }, at).state) as JobState;
}
const sorted = (counts: readonly JobCount[]) =>
  [...counts].sort((a, b) => `${a.kind} ${a.status}`.localeCompare(`${b.kind} ${b.status}`));

describe('countJobs and the memory store countByStatus', () => {
  it('counts the memory store per kind and status, without list()', async () => {
    const jobs = createMemoryJobStore();
    write(jobs, 'G-1', 'queued');
    write(jobs, 'G-2', 'queued');
    write(jobs, 'B-1', 'processing', 'batch');
    write(jobs, 'G-2', 'completed');
    const list = jest.spyOn(jobs, 'list');
    const expected = [
      { kind: 'batch', status: 'processing', count: 1 },
      { kind: 'video', status: 'completed', count: 1 },
      { kind: 'video', status: 'queued', count: 1 },
    ];
    expect(sorted(jobs.countByStatus!() as JobCount[])).toEqual(expected);
    expect(sorted(await countJobs(jobs))).toEqual(expected);
    expect(list).not.toHaveBeenCalled();
  });

  it('does not count the jobs the memory store dropped at its cap', () => {
    const jobs = createMemoryJobStore({ max: 2 });
    write(jobs, 'G-1', 'completed');
    write(jobs, 'G-2', 'queued');
    write(jobs, 'G-3', 'queued'); // drops G-1, the terminal one
    expect(jobs.countByStatus!()).toEqual([{ kind: 'video', status: 'queued', count: 2 }]);
    expect(createMemoryJobStore().countByStatus!()).toEqual([]);
  });

  it('counts list() for a store without countByStatus', async () => {
    const memory = createMemoryJobStore();
    write(memory, 'G-1', 'failed');
    write(memory, 'G-2', 'failed');
    write(memory, 'B-1', 'queued', 'batch');
    const list = jest.fn((options?: Parameters<JobStore['list']>[0]) => memory.list(options));
    const jobs: JobStore = { get: (id) => memory.get(id), update: (id, apply) => memory.update(id, apply), list };
    expect(sorted(await countJobs(jobs))).toEqual([
      { kind: 'batch', status: 'queued', count: 1 },
      { kind: 'video', status: 'failed', count: 2 },
    ]);
    expect(list).toHaveBeenCalledTimes(1);
    expect(await countJobs({ ...jobs, list: () => [] })).toEqual([]);
  });

  it('rejects when the store read fails (the gauge then keeps its last values)', async () => {
    const failing: JobStore = {
      get: () => undefined,
      update: () => {
        throw new Error('unused');
      },
      list: () => Promise.reject(new Error('down')),
    };
    await expect(countJobs(failing)).rejects.toThrow('down');
    await expect(countJobs({ ...failing, countByStatus: () => Promise.reject(new Error('down too')) })).rejects.toThrow(
      'down too',
    );
  });
});
