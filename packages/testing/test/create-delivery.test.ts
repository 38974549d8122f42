import { createReceiver, type WebhookEventType } from '@ai-stats-webhooks/core';
import { createDelivery, signDelivery, type CreateDeliveryOptions } from '@ai-stats-webhooks/testing';
import { fixture } from '../../../test/helpers/deliveries';

const VIDEO_ID = /^G-[0-9A-HJKMNP-TV-Z]{26}$/;
const BATCH_ID = /^batch_[0-9A-HJKMNP-TV-Z]{26}$/;

describe('createDelivery, tried as a new user would', () => {
  it('needs no job: a fresh G-<ULID> for video, batch_<ULID> for batch, used in the id and the data', () => {
    const video = createDelivery({ type: 'video.completed' });
    expect(video.data.id).toMatch(VIDEO_ID);
    expect(video.id).toBe(`evt_video_${String(video.data.id)}_video_completed`);
    expect(video.data).toMatchObject({ status: 'completed', lifecycle_status: 'completed', progress: 100 });
    expect(createDelivery({ type: 'video.completed' }).data.id).not.toBe(video.data.id);
    const batch = createDelivery({ type: 'batch.created' });
    expect(batch.data.id).toMatch(BATCH_ID);
    expect(batch.data).toMatchObject({ status: 'pending', lifecycle_status: 'pending', progress: 0 });
  });

  it('gives each type the sender status and lifecycle words', () => {
    const status = (type: WebhookEventType) => {
      const { data } = createDelivery({ type });
      return [data.status, data.lifecycle_status];
    };
    expect(status('video.created')).toEqual(['queued', 'pending']);
    expect(status('video.progress')).toEqual(['processing', 'running']);
    expect(status('video.cancelled')).toEqual(['cancelled', 'cancelled']);
    expect(status('batch.progress')).toEqual(['in_progress', 'running']);
    const expired = createDelivery({ type: 'batch.failed', job: { status: 'expired' } });
    expect([expired.type, expired.data.status, expired.data.lifecycle_status]).toEqual([
      'batch.failed',
      'expired',
      'expired',
    ]);
  });

  it('refuses the batch types the sender never emits, saying what to send instead (spec §5)', () => {
    const expired = () => createDelivery({ type: 'batch.expired' });
    expect(expired).toThrow(TypeError);
    expect(expired).toThrow(
      /createDelivery: expected a type the sender emits .*found "batch\.expired"\. Fix: .*type: 'batch\.failed', job: \{ status: 'expired' \}/,
    );
    const changed = () => createDelivery({ type: 'batch.status_changed' });
    expect(changed).toThrow(TypeError);
    expect(changed).toThrow(/no batch status_changed.*found "batch\.status_changed"\. Fix: send batch\.created/);
  });

  it('computes a failed batch progress from its request counts: (completed + failed) / total (spec §6.3)', () => {
    const { data } = createDelivery({ type: 'batch.failed' });
    expect(data.request_counts).toEqual({ total: 10, completed: 0, failed: 10 });
    expect(data.progress).toBe(100);
    expect(createDelivery({ type: 'batch.cancelled' }).data.progress).toBe(0);
  });

  it('refuses a status change that is not a pair of internal words, naming the internal word', () => {
    const change = (statusChange: unknown) => () =>
      createDelivery({ type: 'video.status_changed', statusChange } as CreateDeliveryOptions);
    expect(change(null)).toThrow(TypeError);
    expect(change(null)).toThrow(/expected options\.statusChange to be an object .*found null\. Fix: /);
    expect(change('queued')).toThrow(/options\.statusChange to be an object.*found "queued"/);
    const publicWords = change({ previous: 'queued', current: 'processing' });
    expect(publicWords).toThrow(RangeError);
    expect(publicWords).toThrow(
      /statusChange\.current to be an internal status word.*found "processing"\. Fix: use the internal word "in_progress"/,
    );
    expect(change({ previous: 'running', current: 'in_progress' })).toThrow(/statusChange\.previous.*"in_progress"/);
    const pending = createDelivery({
      type: 'video.status_changed',
      statusChange: { previous: 'pending', current: 'in_progress' },
    });
    expect(pending.delivery.key).toBe('video.status_changed:pending:in_progress');
  });

  it('takes the data status of a status change from its current status', () => {
    const done = createDelivery({
      type: 'video.status_changed',
      statusChange: { previous: 'in_progress', current: 'completed' },
    });
    expect(done.delivery.key).toBe('video.status_changed:in_progress:completed');
    expect(done.data).toMatchObject({ status: 'completed', progress: 100 });
    const unknown = createDelivery({
      type: 'video.status_changed',
      statusChange: { previous: null, current: 'queued' },
    });
    expect(unknown.delivery.key).toBe('video.status_changed:unknown:queued');
    expect(unknown.status_change).toEqual({ previous_status: null, status: 'queued' });
  });

  it('puts the progress bucket in data.progress for batch progress events too', () => {
    expect(createDelivery({ type: 'batch.progress', job: { progress: 52 } })).toMatchObject({
      delivery: { key: 'batch.progress:50' },
      data: { progress: 50 },
    });
  });

  it('fills upstream_error on failures as the sender does (spec fixture video.failed.attempt2.json)', () => {
    const sent = fixture('video.failed.attempt2.json').body.data.upstream_error;
    const video = createDelivery({ type: 'video.failed' });
    expect(video.data.upstream_error).toEqual(sent);
    expect(createDelivery({ type: 'batch.failed' }).data.upstream_error).toEqual({
      code: 'batch_failed',
      type: null,
      message: 'Every request in the batch failed.',
      description: null,
      param: null,
      status: 400,
    });
    expect(createDelivery({ type: 'video.completed' }).data.upstream_error).toBeNull();
    expect(createDelivery({ type: 'batch.failed', job: { status: 'expired' } }).data.upstream_error).toBeNull();
  });

  it('lets upstream_error be overridden: a partial object keeps the other fields, null clears it', () => {
    const custom = createDelivery({ type: 'video.failed', job: { upstream_error: { message: 'Out of credits.' } } });
    expect(custom.data.upstream_error).toEqual({
      code: 'content_policy_violation',
      type: null,
      message: 'Out of credits.',
      description: null,
      param: 'prompt',
      status: 400,
    });
    expect(createDelivery({ type: 'video.failed', job: { upstream_error: null } }).data.upstream_error).toBeNull();
  });

  it('a handler reads job.failure.message from a failed delivery, as in production', async () => {
    const receiver = createReceiver({ secret: 'whsec_kit', logger: {} });
    const messages: (string | null | undefined)[] = [];
    receiver.on('video.failed', ({ job }) => void messages.push(job.failure?.message));
    receiver.on('batch.failed', ({ job }) => void messages.push(job.failure?.message));
    for (const type of ['video.failed', 'batch.failed'] as const) {
      const signed = await signDelivery({ secret: 'whsec_kit', body: createDelivery({ type }) });
      const res = await receiver.handle({ method: 'POST', headers: signed.headers, rawBody: signed.body });
      expect(res.status).toBe(200);
    }
    expect(messages).toEqual([
      "The prompt was rejected by the provider's safety system.",
      'Every request in the batch failed.',
    ]);
  });

  it('keeps the caller fields and status word as given', () => {
    const body = createDelivery({
      type: 'video.progress',
      job: { id: 'G-7', status: 'completed', progress: 88, session_id: 'sess_1' },
    });
    expect(body.data).toMatchObject({ id: 'G-7', status: 'completed', lifecycle_status: 'completed', progress: 90 });
    expect(body.data.session_id).toBe('sess_1');
  });

  const bad = (options: unknown) => () => createDelivery(options as CreateDeliveryOptions);
  it.each([
    ['no options', undefined, TypeError, /expected an options object/],
    ['no type', {}, TypeError, /expected options\.type .*found undefined/],
    ['an unknown type', { type: 'video.complete' }, TypeError, /found "video\.complete".*Fix:/],
    ['an unknown kind', { type: 'image.completed' }, TypeError, /<video\|batch>\.<created\|progress/],
    [
      'a bare id as the job',
      { type: 'video.completed', job: 'G-1' },
      TypeError,
      /options\.job to be an object.*pass \{ id: "G-1" \}/,
    ],
    ['an empty id', { type: 'video.completed', job: { id: '' } }, TypeError, /options\.job\.id.*found ""/],
    ['a numeric id', { type: 'video.completed', job: { id: 7 } }, TypeError, /options\.job\.id.*found 7/],
    [
      'progress 100',
      { type: 'video.progress', job: { progress: 100 } },
      RangeError,
      /0 < progress < 100.*found 100.*completed/,
    ],
    ['progress "50"', { type: 'video.progress', job: { progress: '50' } }, TypeError, /a number.*found "50"/],
    ['progress 140', { type: 'video.completed', job: { progress: 140 } }, RangeError, /0 to 100.*found 140/],
    ['an unknown status', { type: 'video.completed', job: { status: 'done' } }, RangeError, /found "done".*Fix:/],
    ['attempt 5', { type: 'video.completed', attempt: 5 }, RangeError, /attempt.*1 to 4.*found 5/],
    ['createdAt in ms', { type: 'video.completed', createdAt: 1786528925000 }, RangeError, /seconds.*Math\.floor/],
    [
      'a status change on another type',
      { type: 'video.completed', statusChange: { previous: 'queued', current: 'in_progress' } },
      TypeError,
      /statusChange.*status_changed.*found "video\.completed"/,
    ],
    [
      'an unknown status change word',
      { type: 'video.status_changed', statusChange: { previous: 'queued', current: 'rendering' } },
      RangeError,
      /statusChange\.current.*found "rendering"/,
    ],
  ])('refuses %s with a message saying expected / found / fix', (_name, options, kind, message) => {
    expect(bad(options)).toThrow(kind);
    expect(bad(options)).toThrow(message);
    expect(bad(options)).toThrow(/createDelivery: expected .*found .*Fix: /);
  });
});

describe('createDelivery job ids: only a plain token the receiver accepts (isPlainJobId)', () => {
  const RULE = /letters, digits, "_", "-", "\.", ":", 1–200 characters, not dots only/;
  const EXAMPLE = /G-01KA7Q3M9V2X5C8B4N6D1F0H7J/;

  it.each([
    ['an ellipsis copied from the docs', 'G-01…'],
    ['a slash', 'G-01/../admin'],
    ['dots only', '..'],
    ['a space', 'G-01 KA7'],
    ['a query', 'G-01?x=1'],
    ['a percent escape', 'G-01%2F'],
    ['201 characters', `G-${'0'.repeat(199)}`],
  ])('refuses %s with a RangeError naming the rule and an example id', (_name, id) => {
    const build = () => createDelivery({ type: 'video.progress', job: { id, progress: 52 } });
    expect(build).toThrow(RangeError);
    expect(build).toThrow(RULE);
    expect(build).toThrow(EXAMPLE);
    expect(build).toThrow(/createDelivery: expected options\.job\.id to be a plain job id .*found .*Fix: /);
  });

  it('names a batch example for a batch delivery', () => {
    const build = () => createDelivery({ type: 'batch.completed', job: { id: 'batch 01' } });
    expect(build).toThrow(/batch_01KA7ZC3D5E7F9G1H3J5K7M9N1/);
  });

  it('accepts every plain token, up to 200 characters, and a delivery with one is accepted by the receiver', async () => {
    const receiver = createReceiver({ secret: 'whsec_kit', logger: {} });
    for (const id of ['G-01', 'job:1.2_a-b', '.hidden', `G-${'0'.repeat(198)}`]) {
      const body = createDelivery({ type: 'video.progress', job: { id, progress: 52 } });
      expect(body.data.id).toBe(id);
      const signed = await signDelivery({ secret: 'whsec_kit', body });
      const res = await receiver.handle({ method: 'POST', headers: signed.headers, rawBody: signed.body });
      expect(res.status).toBe(200);
    }
  });
});

describe('createDelivery baseUrl: where the payload URLs point', () => {
  it('defaults to the public API, https://api.phaseo.app/v1', () => {
    const { data } = createDelivery({ type: 'video.completed', job: { id: 'G-1' } });
    expect(data.polling_url).toBe('https://api.phaseo.app/v1/videos/G-1');
    expect(data.content_url).toBe('https://api.phaseo.app/v1/videos/G-1/content');
    expect(data.websocket_url).toBe('wss://api.phaseo.app/v1/async/video/G-1/ws');
  });

  it('puts every URL of a video or batch delivery under the given base URL (a mock, a staging host)', () => {
    const baseUrl = 'http://127.0.0.1:45510/v1';
    const video = createDelivery({ type: 'video.completed', job: { id: 'G-1' }, baseUrl }).data;
    expect(video.polling_url).toBe(`${baseUrl}/videos/G-1`);
    expect(video.content_url).toBe(`${baseUrl}/videos/G-1/content`);
    expect(video.websocket_url).toBe('ws://127.0.0.1:45510/v1/async/video/G-1/ws');
    const batch = createDelivery({ type: 'batch.completed', job: { id: 'batch_1' }, baseUrl: `${baseUrl}/` }).data;
    expect(batch.polling_url).toBe(`${baseUrl}/batches/batch_1`);
    expect(batch.websocket_url).toBe('ws://127.0.0.1:45510/v1/async/batch/batch_1/ws');
    expect(JSON.stringify([video, batch])).not.toContain('api.phaseo.app');
  });

  it.each([
    ['a number', 4010, TypeError, /options\.baseUrl to be an http\(s\) URL string.*found 4010/],
    [
      'a relative path',
      '/v1',
      RangeError,
      /options\.baseUrl to be an absolute http:\/\/ or https:\/\/ URL.*found "\/v1"/,
    ],
    ['a ws URL', 'ws://127.0.0.1:4010/v1', RangeError, /found "ws:\/\/127\.0\.0\.1:4010\/v1"/],
    ['credentials', 'https://user:pw@api.example/v1', RangeError, /without user:password/],
  ])('refuses a baseUrl that is %s', (_name, baseUrl, kind, message) => {
    const build = () => createDelivery({ type: 'video.completed', baseUrl } as unknown as CreateDeliveryOptions);
    expect(build).toThrow(kind);
    expect(build).toThrow(message);
    expect(build).toThrow(/Fix: /);
  });
});
