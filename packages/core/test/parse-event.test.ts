import { parseDelivery, readDeliveryHeaders, type HeadersInput } from '@ai-stats-webhooks/core';
import { fixture } from '../../../test/helpers/deliveries';

const bytes = (body: unknown) => new TextEncoder().encode(JSON.stringify(body));
const parse = (body: unknown, headers: HeadersInput = { 'content-type': 'application/json' }) =>
  parseDelivery(bytes(body), readDeliveryHeaders(headers), { legacy: 'accept' });
const legacyProgress = (changes: Record<string, unknown>) => ({
  type: 'video.progress',
  created_at: 1778577825,
  data: { id: 'G-01KRDPM7M03F5H7J9KBCDEFGHN', status: 'in_progress', ...changes },
});

describe('parseDelivery, legacy (G0–G1) bodies', () => {
  it('gives a legacy completion the key of the G2 completion of the same job', () => {
    const current = fixture('video.completed.json');
    const jobId = current.body.data.id as string;
    const legacy = fixture('legacy.g1.video.completed.json').body;
    legacy.data.id = jobId;
    const fromCurrent = parse(current.body, current.headers);
    const fromLegacy = parse(legacy);
    expect(fromCurrent.dedupeKey).toBe(`evt_video_${jobId}_video_completed`);
    expect(fromLegacy).toMatchObject({ dedupeKey: fromCurrent.dedupeKey, legacy: true });
    expect(fromLegacy.event).toMatchObject({ id: fromCurrent.dedupeKey, delivery: { key: 'video.completed' } });
  });

  it('gives a legacy progress reading the key of the G2 event for its bucket', () => {
    const current = fixture('video.progress.50.json');
    const legacy = legacyProgress({ id: current.body.data.id, progress: 52 });
    expect(parse(legacy).dedupeKey).toBe(parse(current.body, current.headers).dedupeKey);
    const bucket = (progress: number) => parse(legacyProgress({ progress })).event.delivery.key;
    expect([0.5, 4, 4.5, 14, 15, 54, 85, 94, 95, 99.6].map(bucket)).toEqual(
      [5, 5, 10, 10, 20, 50, 90, 90, 95, 95].map((b) => `video.progress:${b}`),
    );
    expect(parse({ ...legacyProgress({ progress: 30 }), type: 'batch.progress' }).dedupeKey).toMatch(
      /^evt_batch_G-01KRDPM7M03F5H7J9KBCDEFGHN_batch_progress_30$/,
    );
  });

  it('never collapses distinct progress bodies without data.progress, and keys an identical body once', () => {
    const first = legacyProgress({});
    const later = { ...legacyProgress({}), created_at: 1778577885 };
    const a = parse(first).dedupeKey;
    expect(parse(later).dedupeKey).not.toBe(a);
    expect(parse(legacyProgress({ progress: null })).dedupeKey).not.toBe(a);
    expect(parse(JSON.parse(JSON.stringify(first))).dedupeKey).toBe(a);
    expect(a).toMatch(/^evt_video_G-01KRDPM7M03F5H7J9KBCDEFGHN_video_progress_legacy_1778577825_[a-z0-9]+$/);
    // Same second, different body: still two events.
    expect(parse(legacyProgress({ status: 'queued' })).dedupeKey).not.toBe(a);
  });

  it('still rejects legacy bodies unless accepted', () => {
    const legacy = fixture('legacy.g1.video.completed.json');
    expect(() => parseDelivery(bytes(legacy.body), readDeliveryHeaders(legacy.headers), { legacy: 'reject' })).toThrow(
      /legacy: "accept"/,
    );
  });
});

describe('parseDelivery, ids a database cannot store as they are', () => {
  it.each([
    ['U+0000 in the event id', { id: 'evt_a\u0000b' }, 'id'],
    ['a lone high surrogate in the event id', { id: 'evt_x\ud800' }, 'id'],
    [
      'a lone low surrogate in the delivery key',
      { delivery: { key: 'k\udc00', attempt: 1, max_attempts: 4 } },
      'delivery.key',
    ],
  ])('answers 400 to %s', (_what, change, field) => {
    const body = { ...fixture('video.completed.json').body, ...change };
    expect(() => parse(body)).toThrow(
      expect.objectContaining({
        code: 'invalid_payload',
        message: expect.stringContaining(`Expected ${field} to be text`),
      }),
    );
  });

  it('keeps ids with characters outside the BMP (a whole surrogate pair)', () => {
    const body = { ...fixture('video.completed.json').body, id: 'evt_🎬_1' };
    expect(parse(body).event.id).toBe('evt_🎬_1');
  });
});
