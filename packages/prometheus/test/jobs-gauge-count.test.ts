import { Registry } from 'prom-client';
import {
  applyObservation,
  createMemoryJobStore,
  type JobCount,
  type JobStatus,
  type JobStore,
} from '@ai-stats-webhooks/core';
import { createWebhookMetrics, METRIC_NAMES } from '@ai-stats-webhooks/prometheus';
import { sample } from './delivery-report';

const name = METRIC_NAMES.jobs;
const up = 'ai_stats_metrics_source_up{source="jobs"}';

async function write(jobs: JobStore, id: string, kind: 'video' | 'batch', status: JobStatus): Promise<void> {
  await jobs.update(id, (c) => applyObservation(c, { id, kind, status, source: 'webhook' }, new Date()).state);
}

// A store that answers countByStatus from `answers` (an Error rejects) and fails the test on list().
function countingStore(answers: (readonly JobCount[] | Error)[]): JobStore & { counted: number; listed: number } {
  const store = {
    counted: 0,
    listed: 0,
    get: () => undefined,
    update: () => {
      throw new Error('not written in this test');
    },
    list() {
      store.listed++;
      return [];
    },
    async countByStatus() {
      const answer = answers[Math.min(store.counted++, answers.length - 1)]!;
      if (answer instanceof Error) throw answer;
      return answer;
    },
  };
  return store;
}

describe('createWebhookMetrics: ai_stats_jobs from countByStatus', () => {
  it('asks a store with countByStatus once per scrape and never lists it', async () => {
    const jobs = countingStore([
      [
        { kind: 'video', status: 'completed', count: 7 },
        { kind: 'batch', status: 'queued', count: 2 },
        { kind: 'video', status: 'failed', count: 0 }, // a zero is no series
      ],
    ]);
    const metrics = createWebhookMetrics({ registry: new Registry(), jobs });
    const text = await metrics.render();
    expect(sample(text, `${name}{kind="video",status="completed"}`)).toBe(7);
    expect(sample(text, `${name}{kind="batch",status="queued"}`)).toBe(2);
    expect(sample(text, `${name}{kind="video",status="failed"}`)).toBeUndefined();
    expect(sample(text, up)).toBe(1);
    expect(jobs.counted).toBe(1); // the gauge and source_up share one read
    await metrics.render();
    expect(jobs.counted).toBe(2);
    expect(jobs.listed).toBe(0);
  });

  it('keeps the last values when countByStatus fails, and says so in ai_stats_metrics_source_up', async () => {
    const first: JobCount[] = [{ kind: 'video', status: 'processing', count: 3 }];
    const later: JobCount[] = [{ kind: 'video', status: 'completed', count: 3 }];
    const jobs = countingStore([first, new Error('database down'), later]);
    const metrics = createWebhookMetrics({ registry: new Registry(), jobs });
    expect(sample(await metrics.render(), `${name}{kind="video",status="processing"}`)).toBe(3);
    const down = await metrics.render();
    expect(sample(down, `${name}{kind="video",status="processing"}`)).toBe(3);
    expect(sample(down, up)).toBe(0);
    const back = await metrics.render();
    expect(sample(back, `${name}{kind="video",status="processing"}`)).toBeUndefined();
    expect(sample(back, `${name}{kind="video",status="completed"}`)).toBe(3);
    expect(sample(back, up)).toBe(1);
    expect(jobs.listed).toBe(0);
  });

  it('takes string and bigint counts as numbers, and a count that is not one as a failed read', async () => {
    const first = [{ kind: 'video', status: 'queued', count: '2' as unknown as number }];
    const big = [{ kind: 'batch', status: 'failed', count: BigInt(4) as unknown as number }];
    const broken = [{ kind: 'video', status: 'queued', count: 'many' as unknown as number }];
    const jobs = countingStore([first as JobCount[], big as JobCount[], broken as JobCount[]]);
    const metrics = createWebhookMetrics({ registry: new Registry(), jobs });
    expect(sample(await metrics.render(), `${name}{kind="video",status="queued"}`)).toBe(2);
    expect(sample(await metrics.render(), `${name}{kind="batch",status="failed"}`)).toBe(4);
    const bad = await metrics.render(); // still answers: the last values, source_up 0
    expect(sample(bad, `${name}{kind="batch",status="failed"}`)).toBe(4);
    expect(sample(bad, up)).toBe(0);
  });

  it('does not list the memory store (it has countByStatus)', async () => {
    const jobs = createMemoryJobStore();
    await write(jobs, 'G-1', 'video', 'queued');
    await write(jobs, 'G-2', 'video', 'queued');
    await write(jobs, 'B-1', 'batch', 'completed');
    const list = jest.spyOn(jobs, 'list');
    const registry = new Registry();
    createWebhookMetrics({ registry, jobs });
    const text = await registry.getSingleMetricAsString(name);
    expect(sample(text, `${name}{kind="video",status="queued"}`)).toBe(2);
    expect(sample(text, `${name}{kind="batch",status="completed"}`)).toBe(1);
    expect(list).not.toHaveBeenCalled();
  });

  it('counts list() for a store without countByStatus', async () => {
    const memory = createMemoryJobStore();
    await write(memory, 'G-1', 'video', 'processing');
    await write(memory, 'G-2', 'video', 'processing');
    await write(memory, 'B-1', 'batch', 'failed');
    const list = jest.fn((options?: Parameters<JobStore['list']>[0]) => memory.list(options));
    const jobs: JobStore = { get: (id) => memory.get(id), update: (id, apply) => memory.update(id, apply), list };
    const registry = new Registry();
    createWebhookMetrics({ registry, jobs });
    const text = await registry.getSingleMetricAsString(name);
    expect(sample(text, `${name}{kind="video",status="processing"}`)).toBe(2);
    expect(sample(text, `${name}{kind="batch",status="failed"}`)).toBe(1);
    expect(list).toHaveBeenCalledTimes(1);
  });
});
