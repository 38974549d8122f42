import { createReceiver, verifySignature } from '@ai-stats-webhooks/core';
import { createDelivery, eventId, progressBucket, signDelivery } from '@ai-stats-webhooks/testing';
import { fixture } from '../../../test/helpers/deliveries';

describe('progressBucket', () => {
  it.each([
    [0.5, 5],
    [4, 5],
    [4.5, 10],
    [14, 10],
    [15, 20],
    [52, 50],
    [54, 50],
    [85, 90],
    [94, 90],
    [95, 95],
    [99.6, 95],
    [0, undefined],
    [100, undefined],
  ])('%d → %s (spec §4)', (reading, bucket) => expect(progressBucket(reading)).toBe(bucket));
});

describe('eventId', () => {
  it('matches the spec examples', () => {
    expect(eventId('video', 'G-01KA7Q3M9V2X5C8B4N6D1F0H7J', 'video.completed')).toBe(
      'evt_video_G-01KA7Q3M9V2X5C8B4N6D1F0H7J_video_completed',
    );
    expect(eventId('video', 'G-1', 'video.status_changed:queued:in_progress')).toBe(
      'evt_video_G-1_video_status_changed_queued_in_progress',
    );
    expect(eventId('batch', 'batch_1', 'batch.completed')).toBe('evt_batch_batch_1_batch_completed');
    expect(eventId('video', 'G-'.padEnd(300, 'X'), 'video.completed')).toHaveLength(160);
  });
});

describe('createDelivery + signDelivery', () => {
  it('reproduces the fixture signature vector byte for byte', async () => {
    const f = fixture('video.completed.json');
    const signed = await signDelivery({ secret: 'whsec_test_123', body: f.body, timestamp: 1786528925 });
    const vectors = fixture<{ note: string; signature: string }[]>('signature-vectors.json');
    expect(signed.headers['x-phaseo-signature']).toBe(
      vectors.find((v) => v.note === 'fixture video.completed.json')!.signature,
    );
    expect(signed.headers).toMatchObject({
      'x-phaseo-event-id': f.body.id,
      'x-phaseo-delivery-key': 'video.completed',
      'x-phaseo-attempt': '1',
      'x-phaseo-max-attempts': '4',
      'user-agent': 'Phaseo-Async-Webhook/1.0',
    });
  });

  it('builds the delivery keys and ids of the spec', () => {
    expect(createDelivery({ type: 'video.progress', job: { id: 'G-1', progress: 52 } })).toMatchObject({
      id: 'evt_video_G-1_video_progress_50',
      delivery: { key: 'video.progress:50', attempt: 1, max_attempts: 4 },
      data: { progress: 50, status: 'processing' },
    });
    const change = createDelivery({
      type: 'video.status_changed',
      job: { id: 'G-1' },
      statusChange: { previous: 'queued', current: 'in_progress' },
    });
    expect(change).toMatchObject({
      delivery: { key: 'video.status_changed:queued:in_progress' },
      status_change: { previous_status: 'queued', status: 'in_progress' },
    });
    expect(Object.keys(createDelivery({ type: 'batch.completed', job: { id: 'batch_1' } }))).toEqual([
      'id',
      'type',
      'created_at',
      'delivery',
      'data',
    ]);
    expect(() => createDelivery({ type: 'video.progress', job: { id: 'G-1', progress: 100 } })).toThrow(
      /0 < progress < 100/,
    );
  });

  it('is accepted by the receiver for every type, with both prefixes', async () => {
    const receiver = createReceiver({ secret: 'whsec_kit', logger: {} });
    const types = [
      'video.created',
      'video.status_changed',
      'video.progress',
      'video.completed',
      'video.failed',
      'video.cancelled',
      'video.expired',
      'batch.created',
      'batch.completed',
      'batch.failed',
      'batch.cancelled',
    ] as const;
    for (const [i, type] of types.entries()) {
      const signed = await signDelivery({
        secret: 'whsec_kit',
        body: createDelivery({ type, job: { id: type.startsWith('batch') ? `batch_${i}` : `G-${i}` } }),
        prefix: i % 2 ? 'ai-stats' : 'phaseo',
      });
      const res = await receiver.handle({ method: 'POST', headers: signed.headers, rawBody: signed.body });
      expect([type, res.status]).toEqual([type, 200]);
    }
  });

  it('signs a raw string body as given', async () => {
    const signed = await signDelivery({ secret: 's', body: '{"a":1}', timestamp: 100 });
    await expect(
      verifySignature({ rawBody: signed.body, headers: signed.headers, secret: 's', now: 100_000 }),
    ).resolves.toBeDefined();
    expect(signed.headers['x-phaseo-event-id']).toBeUndefined();
  });
});
