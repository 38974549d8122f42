import {
  applyObservation,
  createMemoryJobStore,
  listOpenJobs,
  type JobStatus,
  type JobState,
  type JobStore,
  type Logger,
} from '@ai-stats-webhooks/core';

let clock = 0;
function write(jobs: JobStore, id: string, status: JobStatus): JobState {
  const at = new Date(1_700_000_000_000 + ++clock * 1000);
  return jobs.update(
    id,
    (c) => applyObservation(c, { id, kind: 'video', status, source: 'webhook' }, at).state,
  ) as JobState;
}
const ids = (list: readonly JobState[]) => list.map((job) => job.id);
function recorder() {
  const warnings: string[] = [];
  const logger: Logger = { warn: (message) => void warnings.push(message) };
  return { logger, warnings };
}

describe('createMemoryJobStore', () => {
  it('lists open jobs oldest first and never returns terminal ones', () => {
    const jobs = createMemoryJobStore();
    write(jobs, 'G-1', 'queued');
    write(jobs, 'G-2', 'completed');
    write(jobs, 'G-3', 'processing');
    write(jobs, 'G-4', 'queued');
    write(jobs, 'G-1', 'processing'); // still open, keeps its place
    write(jobs, 'G-3', 'failed');
    expect(ids(jobs.listOpen!() as JobState[])).toEqual(['G-1', 'G-4']);
    expect(ids(jobs.listOpen!({ limit: 1 }) as JobState[])).toEqual(['G-1']);
    expect(ids(jobs.list() as JobState[])).toEqual(['G-4', 'G-3', 'G-2', 'G-1']);
  });

  it('drops the job that became terminal longest ago first, and open jobs only when nothing else is left', () => {
    const { logger, warnings } = recorder();
    const jobs = createMemoryJobStore({ max: 3, logger });
    write(jobs, 'G-A', 'queued');
    write(jobs, 'G-B', 'completed');
    write(jobs, 'G-C', 'processing');
    write(jobs, 'G-A', 'completed'); // terminal after G-B
    write(jobs, 'G-D', 'queued'); // over the cap: drops G-B
    expect(ids(jobs.list() as JobState[])).toEqual(['G-D', 'G-C', 'G-A']);
    write(jobs, 'G-E', 'queued'); // drops G-A, the last terminal job
    expect(ids(jobs.list() as JobState[])).toEqual(['G-E', 'G-D', 'G-C']);
    expect(warnings).toEqual([]);
    write(jobs, 'G-F', 'queued'); // only open jobs left: drops the oldest open job, G-C
    expect(ids(jobs.list() as JobState[])).toEqual(['G-F', 'G-E', 'G-D']);
    expect(ids(jobs.listOpen!() as JobState[])).toEqual(['G-D', 'G-E', 'G-F']);
    expect(jobs.get('G-C')).toBeUndefined();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/max=3/);
    expect(warnings[0]).toMatch(/G-C/);
    expect(warnings[0]).toMatch(/raise "max" or use a persistent job store/);
    write(jobs, 'G-G', 'queued');
    expect(warnings).toHaveLength(1); // one line, not one per job
  });

  it('stays bounded under a load of open-only jobs and of mixed jobs', () => {
    const max = 20_000;
    const { logger, warnings } = recorder();
    const jobs = createMemoryJobStore({ max, logger });
    // 60 000 inserts past the cap: a store that scans every job per insert does not finish this.
    for (let i = 0; i < 80_000; i++) write(jobs, `G-open-${i}`, 'queued');
    expect((jobs.list() as JobState[]).length).toBe(max);
    expect((jobs.listOpen!() as JobState[])[0]!.id).toBe('G-open-60000');
    expect(warnings).toHaveLength(1);
    for (let i = 0; i < 80_000; i++) write(jobs, `G-done-${i}`, i % 2 === 0 ? 'completed' : 'queued');
    expect((jobs.list() as JobState[]).length).toBe(max);
    // Every open job written last survives: terminal jobs went first.
    const open = jobs.listOpen!() as JobState[];
    expect(open.length).toBeGreaterThanOrEqual(max / 2);
    expect(open.at(-1)!.id).toBe('G-done-79999');
  });

  it('listOpenJobs falls back to list() for a store without listOpen, oldest first', async () => {
    const inner = createMemoryJobStore();
    const { listOpen: _unused, ...withoutListOpen } = inner;
    write(inner, 'G-1', 'queued');
    write(inner, 'G-2', 'completed');
    write(inner, 'G-3', 'processing');
    expect(ids(await listOpenJobs(withoutListOpen))).toEqual(['G-1', 'G-3']);
    expect(ids(await listOpenJobs(withoutListOpen, { limit: 1 }))).toEqual(['G-1']);
    expect(ids(await listOpenJobs(inner))).toEqual(['G-1', 'G-3']);
  });

  it('validates options, naming the option', () => {
    expect(() => createMemoryJobStore({ max: 0 })).toThrow(/Option "max"/);
    expect(() => createMemoryJobStore({ logger: 'console' as unknown as Logger })).toThrow(/Option "logger"/);
  });

  it('keeps its lists right when an apply changes the stored state in place', () => {
    const jobs = createMemoryJobStore();
    write(jobs, 'G-A', 'completed');
    write(jobs, 'G-B', 'queued');
    write(jobs, 'G-C', 'queued');
    jobs.update('G-B', (current) => {
      (current as { status: JobStatus }).status = 'completed'; // a careless apply
      return { ...current!, status: 'processing', version: current!.version + 1 };
    });
    expect(ids(jobs.listOpen!() as JobState[])).toEqual(['G-B', 'G-C']);
  });

  it('stays within max when an apply writes through the same store (re-entrant)', () => {
    const jobs = createMemoryJobStore({ max: 3, logger: recorder().logger });
    write(jobs, 'G-A', 'completed');
    write(jobs, 'G-B', 'failed');
    write(jobs, 'G-C', 'queued');
    jobs.update('G-A', (current) => {
      write(jobs, 'G-D', 'queued'); // evicts G-A, the oldest terminal job
      return { ...current!, status: 'processing', version: current!.version + 1 };
    });
    expect((jobs.get('G-A') as JobState | undefined)?.status).toBe('processing');
    for (const id of ['G-E', 'G-F', 'G-G', 'G-H']) write(jobs, id, 'queued');
    expect(jobs.list()).toHaveLength(3);
    expect(ids(jobs.listOpen!() as JobState[])).toEqual(ids(jobs.list() as JobState[]).reverse());
  });
});
