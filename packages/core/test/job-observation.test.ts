import {
  createMemoryJobStore,
  findConflict,
  normalizeStatus,
  readApiObject,
  readEvent,
  storeApiObject,
  videoObjectSchema,
  type WebhookEvent,
} from '@ai-stats-webhooks/core';
import { event, fixture } from '../../../test/helpers/deliveries';

const body = (name: string, changes?: Parameters<typeof event>[1]) => event(name, changes).body as WebhookEvent;

describe('normalizeStatus', () => {
  it.each([
    ['pending', 'queued'],
    ['unknown', 'queued'],
    ['in_progress', 'processing'],
    ['running', 'processing'],
    ['succeeded', 'completed'],
    ['error', 'failed'],
    ['canceled', 'cancelled'],
    ['EXPIRED', 'expired'],
    ['constructor', undefined],
    ['banana', undefined],
  ])('%s → %s', (word, status) => expect(normalizeStatus(word)).toBe(status));
});

describe('readEvent', () => {
  it('reads a completed video with its output', () => {
    const { observation, contradiction } = readEvent(body('video.completed.json'));
    expect(contradiction).toBe(false);
    expect(observation).toMatchObject({
      id: 'G-01KA7Q3M9V2X5C8B4N6D1F0H7J',
      kind: 'video',
      status: 'completed',
      progress: 100,
    });
    expect(observation.output?.downloadUrl).toMatch(/download_token/);
  });

  it('takes the newer data.status of a retried progress event', () => {
    expect(readEvent(body('video.progress.50.json', { status: 'completed' })).observation.status).toBe('completed');
  });

  it('flags data that is behind its own type, or another terminal word, as a contradiction', () => {
    expect(readEvent(body('video.completed.json', { status: 'processing' })).contradiction).toBe(true);
    expect(readEvent(body('video.completed.json', { status: 'failed' })).contradiction).toBe(true);
  });

  it('reads an expired batch sent as batch.failed as expired, not as a contradiction', () => {
    const reading = readEvent(
      body('batch.completed.json', { type: 'batch.failed', key: 'batch.failed', status: 'expired' }),
    );
    expect(reading).toMatchObject({ contradiction: false, observation: { status: 'expired', kind: 'batch' } });
  });

  it('reads status_changed from status_change with internal words', () => {
    expect(readEvent(body('video.status_changed.json')).observation.status).toBe('processing');
  });

  it('records the upstream error of a failed video', () => {
    expect(readEvent(body('video.failed.attempt2.json')).observation.failure).toEqual({
      code: 'content_policy_violation',
      message: "The prompt was rejected by the provider's safety system.",
    });
  });
});

describe('findConflict', () => {
  const job = (status: 'processing' | 'completed') => ({
    id: 'G-01KA7Q3M9V2X5C8B4N6D1F0H7J',
    kind: 'video' as const,
    status,
    progress: 0,
    source: 'webhook' as const,
    createdAt: '',
    updatedAt: '',
    version: 1,
  });
  it('finds backwards, terminal mismatch and contradiction', () => {
    expect(findConflict(job('completed'), readEvent(body('video.status_changed.json')))).toBe('backwards');
    expect(
      findConflict(
        job('completed'),
        readEvent(body('video.failed.attempt2.json', { jobId: 'G-01KA7Q3M9V2X5C8B4N6D1F0H7J' })),
      ),
    ).toBe('terminal_mismatch');
    expect(findConflict(undefined, readEvent(body('video.completed.json', { status: 'processing' })))).toBe(
      'contradiction',
    );
    expect(findConflict(job('processing'), readEvent(body('video.completed.json')))).toBeUndefined();
    expect(findConflict(undefined, readEvent(body('video.completed.json')))).toBeUndefined();
  });
});

describe('readApiObject', () => {
  it('reads the GET object as an authoritative observation', () => {
    const video = videoObjectSchema.parse(fixture('video.get.processing.openai.json'));
    expect(readApiObject('video', video)).toMatchObject({
      status: 'processing',
      progress: 54,
      authoritative: true,
      source: 'reconcile',
    });
    const done = videoObjectSchema.parse(fixture('video.get.completed.json'));
    expect(readApiObject('video', done, 'poll')).toMatchObject({
      status: 'completed',
      authoritative: false,
      output: { contentUrl: expect.stringContaining('/content') },
    });
  });
});

describe('storeApiObject', () => {
  it('stores a created job, and lets a poll move it forward but never back', async () => {
    const jobs = createMemoryJobStore();
    const processing = videoObjectSchema.parse(fixture('video.get.processing.openai.json'));
    const created = await storeApiObject(jobs, 'video', { ...processing, status: 'queued' }, 'create');
    expect(created).toMatchObject({ changed: true, state: { status: 'queued', source: 'create', version: 1 } });
    expect((await storeApiObject(jobs, 'video', processing)).state).toMatchObject({
      status: 'processing',
      progress: 54,
      source: 'poll',
    });
    const stale = await storeApiObject(jobs, 'video', { ...processing, status: 'queued' });
    expect(stale).toMatchObject({ changed: false, rejected: 'backwards', state: { status: 'processing' } });
  });

  it('refuses an answer about another job, and an id that is not a plain token: nothing is stored', async () => {
    const jobs = createMemoryJobStore();
    const processing = videoObjectSchema.parse(fixture('video.get.processing.openai.json'));
    await expect(
      storeApiObject(jobs, 'video', { ...processing, id: 'G-PHANTOM' }, { source: 'poll', requestedId: processing.id }),
    ).rejects.toMatchObject({ code: 'api_invalid_response' });
    await expect(storeApiObject(jobs, 'video', { ...processing, id: '../G-1' }, 'create')).rejects.toMatchObject({
      code: 'invalid_job_id',
    });
    expect(await jobs.list()).toEqual([]);
    const polled = await storeApiObject(jobs, 'video', processing, { requestedId: processing.id });
    expect(polled.state).toMatchObject({ id: processing.id, source: 'poll' });
  });
});
