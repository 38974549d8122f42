import { applyObservation, createMemoryJobStore, type JobObservation, type JobState } from '@ai-stats-webhooks/core';

const at = new Date('2026-08-12T10:00:00Z');
const obs = (status: JobObservation['status'], extra: Partial<JobObservation> = {}): JobObservation => ({
  id: 'G-1',
  kind: 'video',
  status,
  source: 'webhook',
  ...extra,
});
const run = (...observations: JobObservation[]): JobState =>
  observations.reduce<JobState | undefined>((state, o) => applyObservation(state, o, at).state, undefined)!;

describe('applyObservation', () => {
  it('moves forward through the lifecycle', () => {
    const job = run(obs('queued'), obs('processing', { progress: 30 }), obs('completed'));
    expect(job).toMatchObject({ status: 'completed', progress: 100, version: 3 });
  });

  it('never moves backwards and keeps the highest progress', () => {
    const first = applyObservation(undefined, obs('processing', { progress: 50 }), at).state;
    const late = applyObservation(first, obs('queued', { progress: 5 }), at);
    expect(late).toMatchObject({ changed: false, rejected: 'backwards' });
    expect(late.state).toBe(first);
    const lowerBucket = applyObservation(first, obs('processing', { progress: 30 }), at);
    expect(lowerBucket.state.progress).toBe(50);
    expect(lowerBucket.changed).toBe(false);
  });

  it('keeps a terminal state final against webhooks, and lets only the API change it', () => {
    const done = run(obs('completed'));
    expect(applyObservation(done, obs('processing'), at)).toMatchObject({ rejected: 'backwards', changed: false });
    expect(applyObservation(done, obs('failed'), at)).toMatchObject({ rejected: 'terminal_mismatch', changed: false });
    const confirmed = applyObservation(done, obs('failed', { source: 'reconcile', authoritative: true }), at);
    expect(confirmed.state).toMatchObject({ status: 'failed', source: 'reconcile', version: 2 });
    // Even the API cannot move a job backwards.
    expect(
      applyObservation(done, obs('processing', { source: 'reconcile', authoritative: true }), at).state.status,
    ).toBe('completed');
  });

  it('records output and failure details', () => {
    const failed = run(obs('failed', { failure: { code: 'content_policy_violation', message: 'rejected' } }));
    expect(failed.failure).toEqual({ code: 'content_policy_violation', message: 'rejected' });
    const completed = run(
      obs('processing'),
      obs('completed', { output: { contentUrl: 'https://x/content', downloadUrl: null, expiresAt: null } }),
    );
    expect(completed.output?.contentUrl).toBe('https://x/content');
  });

  it('is idempotent: the same observation twice changes nothing the second time', () => {
    const once = run(obs('processing', { progress: 40 }));
    expect(applyObservation(once, obs('processing', { progress: 40 }), at)).toMatchObject({ changed: false });
  });
});

describe('createMemoryJobStore', () => {
  it('lists newest first, filters by status and evicts only terminal jobs past max', async () => {
    const jobs = createMemoryJobStore({ max: 2 });
    await jobs.update('a', (c) => applyObservation(c, { ...obs('completed'), id: 'a' }, at).state);
    await jobs.update('b', (c) => applyObservation(c, { ...obs('processing'), id: 'b' }, at).state);
    expect((await jobs.list()).map((j) => j.id)).toEqual(['b', 'a']);
    expect((await jobs.list({ status: ['processing'] })).map((j) => j.id)).toEqual(['b']);
    await jobs.update('c', (c) => applyObservation(c, { ...obs('queued'), id: 'c' }, at).state);
    expect((await jobs.list()).map((j) => j.id)).toEqual(['c', 'b']);
    expect(await jobs.get('a')).toBeUndefined();
  });
});
