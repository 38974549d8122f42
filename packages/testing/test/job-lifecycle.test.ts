import { normalizeStatus } from '@ai-stats-webhooks/core';
import {
  JOB_LIFECYCLE,
  internalStatus,
  lifecycleStatus,
  phaseStatus,
  publicStatus,
  type MockInternalStatus,
} from '../src/job-lifecycle';

describe('the job lifecycle table', () => {
  it.each([
    ['queued', 'queued', 'pending', 'pending'],
    ['in_progress', 'processing', 'in_progress', 'running'],
    ['completed', 'completed', 'completed', 'completed'],
    ['failed', 'failed', 'failed', 'failed'],
    ['cancelled', 'cancelled', 'cancelled', 'cancelled'],
    ['expired', 'expired', 'expired', 'expired'],
  ] as const)('%s: video %s, batch %s, lifecycle %s (spec §6.2, §6.3, §8.1)', (status, video, batch, lifecycle) => {
    expect(publicStatus(status)).toBe(video);
    expect(publicStatus(status, 'video')).toBe(video);
    expect(publicStatus(status, 'batch')).toBe(batch);
    expect(lifecycleStatus(status)).toBe(lifecycle);
  });

  it('every word of the table folds back to its internal status, as the receiver reads it', () => {
    for (const [status, row] of Object.entries(JOB_LIFECYCLE) as [
      MockInternalStatus,
      (typeof JOB_LIFECYCLE)['queued'],
    ][]) {
      for (const word of [status, row.video, row.batch, row.lifecycle]) {
        expect([word, internalStatus(word)]).toEqual([word, status]);
        expect(normalizeStatus(word)).toBe(normalizeStatus(row.video));
      }
    }
    expect(internalStatus('canceled')).toBe('cancelled');
    expect(internalStatus('rendering')).toBeUndefined();
    expect(internalStatus(null)).toBeUndefined();
  });

  it('names the status a job has when each phase is sent', () => {
    expect(phaseStatus('created')).toBe('queued');
    expect(phaseStatus('progress')).toBe('in_progress');
    expect(phaseStatus('status_changed')).toBe('in_progress');
    expect(phaseStatus('completed')).toBe('completed');
    expect(phaseStatus('failed')).toBe('failed');
    expect(phaseStatus('cancelled')).toBe('cancelled');
    expect(phaseStatus('expired')).toBe('expired');
  });
});
