import type { DeliveryReport } from '@ai-stats-webhooks/core';
import { createDeliveryStats, DELIVERY_STATS_DEFAULTS } from '../examples/express/src/delivery-stats';
import { createMemoryEventLog, EVENT_LOG_DEFAULTS, type EventRecord } from '../examples/express/src/event-log';
import { createEventLog as createFetchEventLog } from '../examples/fetch/src/event-log';
import { createEventLog as createNextEventLog } from '../examples/nextjs/lib/event-log';
import { describeAdminToken } from './helpers/admin-token-cases';
import { describeContract } from './helpers/contract-cases';
import { NODE_TARGETS } from './helpers/example-target';
import { describeStartUpSafety } from './helpers/start-up-safety-cases';

// Every example app on Node as a black box against the HTTP contract: a real process started by
// its `start` script, real HTTP, deliveries signed from the spec's fixtures, and the Video API
// played by a local stub server. The cases live in test/helpers/*-cases.ts, shared with
// example-contract.runtimes.e2e.test.ts (examples/fetch on workerd, Deno and Bun).

for (const target of NODE_TARGETS) {
  describeContract(target);
  describeAdminToken(target);
  describeStartUpSafety(target);
}

describe('the examples keep bounded memory', () => {
  const report = (jobId: string): DeliveryReport => ({
    status: 200,
    outcome: 'processed',
    code: undefined,
    eventId: `evt_${jobId}`,
    type: 'video.progress',
    jobId,
    attempt: 1,
    reconciled: false,
    conflict: undefined,
    queued: false,
    durationMs: 1,
  });
  const record = (i: number): EventRecord => ({
    event_id: `evt_${i}`,
    type: 'video.progress',
    job_id: `G-CAP${i}`,
    attempt: 1,
    received_at: new Date(0).toISOString(),
    job_status: 'processing',
    reconciled: false,
    conflict: null,
  });

  it('express: the event log keeps the last 10,000 events by default, the oldest dropped first', async () => {
    expect(EVENT_LOG_DEFAULTS.maxEntries).toBe(10_000);
    const log = createMemoryEventLog();
    for (let i = 1; i <= 10_003; i++) await log.append(record(i));
    const list = await log.list();
    expect([list.length, list[0]!.event_id, list.at(-1)!.event_id]).toEqual([10_000, 'evt_4', 'evt_10003']);
  });

  it.each([
    ['express', createMemoryEventLog],
    ['fetch', createFetchEventLog],
    ['nextjs', createNextEventLog],
  ] as const)('%s: the event log drops the oldest event past its cap', async (_name, create) => {
    const log = create(3);
    for (let i = 1; i <= 5; i++) await log.append(record(i));
    expect((await log.list()).map((e) => e.event_id)).toEqual(['evt_3', 'evt_4', 'evt_5']);
    expect(() => create(0)).toThrow(/maxEntries/);
  });

  it('express: per-job delivery statistics keep the 10,000 jobs delivered to most recently', () => {
    expect(DELIVERY_STATS_DEFAULTS.maxJobs).toBe(10_000);
    const stats = createDeliveryStats();
    for (let i = 1; i <= 10_005; i++) stats.record(report(`G-CAP${i}`));
    expect(stats.jobCount()).toBe(10_000);
    expect(stats.forJob('G-CAP5').received).toBe(0);
    expect(stats.forJob('G-CAP6').received).toBe(1);
    expect(stats.total().received).toBe(10_005);
  });

  it('express: a job delivered to again moves to the newest end, so the least recently delivered goes first', () => {
    const stats = createDeliveryStats({ maxJobs: 2 });
    stats.record(report('G-A'));
    stats.record(report('G-B'));
    stats.record(report('G-A'));
    stats.record(report('G-C'));
    expect([stats.forJob('G-A').received, stats.forJob('G-B').received, stats.forJob('G-C').received]).toEqual([
      2, 0, 1,
    ]);
    expect(() => createDeliveryStats({ maxJobs: 0 })).toThrow(/maxJobs/);
  });
});
