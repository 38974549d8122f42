import { createReceiver, type InboxEntry } from '@ai-stats-webhooks/core';
import { SECRET, fixture, sign } from '../../../test/helpers/deliveries';

// processQueued() re-checks the body an inbox kept: one that no longer parses is a permanent
// failure (invalid_payload, not retryable), so a worker dead-letters it at once.
const EVENT_ID = 'evt_video_G-01KA7Q3M9V2X5C8B4N6D1F0H7J_video_completed';

function entry(body: string, changes: Partial<InboxEntry> = {}): InboxEntry {
  return {
    eventId: EVENT_ID,
    dedupeKey: EVENT_ID,
    type: 'video.completed',
    jobId: 'G-01KA7Q3M9V2X5C8B4N6D1F0H7J',
    attempt: 1,
    prefix: 'phaseo',
    legacy: false,
    body,
    receivedAt: new Date(),
    ...changes,
  };
}

function setup() {
  const receiver = createReceiver({ secret: SECRET, logger: {} });
  const runs: string[] = [];
  receiver.onAny(({ event }) => void runs.push(event.id));
  return { receiver, runs };
}

const storedBody = (change: (body: Record<string, any>) => void = () => undefined): string => {
  const body = fixture('video.completed.json').body;
  change(body);
  return JSON.stringify(body);
};

describe('processQueued with a stored body that no longer parses', () => {
  it.each<[string, string]>([
    ['JSON cut off', '{"id": "evt_video_'],
    ['empty', ''],
    ['JSON that is not an object', '[1, 2, 3]'],
    ['JSON null', 'null'],
    ['an object without the envelope', '{"hello":"world"}'],
    ['an envelope without delivery', storedBody((b) => delete b.delivery)],
    ['an envelope whose data.id is not a plain job id', storedBody((b) => (b.data.id = '../../admin'))],
    ['an unknown event type', storedBody((b) => (b.type = 'video.teleported'))],
  ])('rejects %s as invalid_payload, not retryable, without running a handler', async (_, body) => {
    const { receiver, runs } = setup();
    const rejection = receiver.processQueued(entry(body));
    await expect(rejection).rejects.toMatchObject({ code: 'invalid_payload', retryable: false });
    await expect(rejection).rejects.toThrow(EVENT_ID);
    expect(runs).toEqual([]);
    expect(await receiver.options.jobs.get('G-01KA7Q3M9V2X5C8B4N6D1F0H7J')).toBeUndefined();
  });

  it.each<[string, (body: Record<string, any>) => void]>([
    ['without data', (b) => delete b.data],
    ['with an unknown type', (b) => (b.type = 'video.teleported')],
    ['whose data.id is not a plain job id', (b) => (b.data.id = '../../admin')],
    ['without the event id it was given', (b) => delete b.id],
    ['whose delivery key is not a string', (b) => (b.delivery = { key: 7 })],
  ])('rejects a stored legacy event %s as invalid_payload, not retryable', async (_, change) => {
    const { receiver, runs } = setup();
    const legacy = fixture('legacy.g1.video.completed.json').body;
    const body = { ...legacy, id: EVENT_ID, delivery: { key: 'video.completed', attempt: 1, max_attempts: 4 } };
    change(body);
    const rejection = receiver.processQueued(entry(JSON.stringify(body), { legacy: true }));
    await expect(rejection).rejects.toMatchObject({ code: 'invalid_payload', retryable: false });
    expect(runs).toEqual([]);
  });

  it('still processes a body that parses, and a legacy delivery as the receiver stored it', async () => {
    const { receiver, runs } = setup();
    expect(await receiver.processQueued(entry(storedBody()))).toBe('processed');
    const stored: InboxEntry[] = [];
    const inbox = {
      enqueue: async (e: InboxEntry) => {
        stored.push(e);
        return { duplicate: false };
      },
    };
    const lenient = createReceiver({ secret: SECRET, logger: {}, legacy: 'accept', inbox });
    const signed = sign(fixture('legacy.g1.video.completed.json'), { prefix: 'ai-stats' });
    expect((await lenient.handle({ method: 'POST', headers: signed.headers, rawBody: signed.body })).status).toBe(200);
    expect(stored).toHaveLength(1);
    expect(stored[0]!.legacy).toBe(true);
    expect(await receiver.processQueued(stored[0]!)).toBe('processed');
    expect(runs).toEqual([EVENT_ID, stored[0]!.eventId]);
  });
});
