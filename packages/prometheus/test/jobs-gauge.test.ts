import { Registry } from 'prom-client';
import { applyObservation, createMemoryJobStore, type JobStatus, type JobStore } from '@ai-stats-webhooks/core';
import { createWebhookMetrics, METRIC_NAMES } from '@ai-stats-webhooks/prometheus';
import { sample } from './delivery-report';

async function write(jobs: JobStore, id: string, kind: 'video' | 'batch', status: JobStatus): Promise<void> {
  await jobs.update(id, (c) => applyObservation(c, { id, kind, status, source: 'webhook' }, new Date()).state);
}

describe('createWebhookMetrics: ai_stats_jobs{kind,status}', () => {
  it('counts the stored jobs by kind and status on every scrape', async () => {
    const jobs = createMemoryJobStore();
    const registry = new Registry();
    createWebhookMetrics({ registry, jobs });
    await write(jobs, 'G-1', 'video', 'completed');
    await write(jobs, 'G-2', 'video', 'completed');
    await write(jobs, 'G-3', 'video', 'processing');
    await write(jobs, 'B-1', 'batch', 'queued');
    const name = METRIC_NAMES.jobs;
    let text = await registry.getSingleMetricAsString(name);
    expect(text).toContain(`# TYPE ${name} gauge`);
    expect(sample(text, `${name}{kind="video",status="completed"}`)).toBe(2);
    expect(sample(text, `${name}{kind="video",status="processing"}`)).toBe(1);
    expect(sample(text, `${name}{kind="batch",status="queued"}`)).toBe(1);

    // The next scrape reads the store again: a status with no job left disappears.
    await write(jobs, 'G-3', 'video', 'failed');
    text = await registry.getSingleMetricAsString(name);
    expect(sample(text, `${name}{kind="video",status="processing"}`)).toBeUndefined();
    expect(sample(text, `${name}{kind="video",status="failed"}`)).toBe(1);
  });

  it('takes the store from a function at scrape time (a store made after the metrics)', async () => {
    const registry = new Registry();
    const later: { jobs?: JobStore } = {};
    createWebhookMetrics({ registry, jobs: () => later.jobs! });
    later.jobs = createMemoryJobStore();
    await write(later.jobs, 'G-1', 'video', 'queued');
    const text = await registry.getSingleMetricAsString(METRIC_NAMES.jobs);
    expect(sample(text, `${METRIC_NAMES.jobs}{kind="video",status="queued"}`)).toBe(1);
  });

  it('has no ai_stats_jobs gauge without the jobs option', async () => {
    const registry = new Registry();
    const metrics = createWebhookMetrics({ registry, jobs: undefined });
    expect(registry.getSingleMetric(METRIC_NAMES.jobs)).toBeUndefined();
    expect(await metrics.render()).not.toContain(METRIC_NAMES.jobs + '{');
  });
});
