import { createReceiver, dedupeKeyOf, type InboxEntry, type WebhookEvent } from '@ai-stats-webhooks/core';
import { createDelivery, signDelivery } from '@ai-stats-webhooks/testing';

const SECRET = 'whsec_dedupe_key';
// 150 characters: the sender's event ids of this job are cut at 160, so every event of it has the
// same id (`evt_video_<job id>_vid`).
const LONG_ID = `G-${'A'.repeat(148)}`;

const events = (jobId: string) => [
  createDelivery({ type: 'video.created', job: { id: jobId } }),
  createDelivery({ type: 'video.progress', job: { id: jobId, progress: 50 } }),
  createDelivery({ type: 'video.progress', job: { id: jobId, progress: 70 } }),
  createDelivery({ type: 'video.completed', job: { id: jobId } }),
];

async function post(receiver: ReturnType<typeof createReceiver>, body: object) {
  const { headers, body: rawBody } = await signDelivery({ secret: SECRET, body });
  return receiver.handle({ method: 'POST', headers, rawBody });
}

describe('dedupeKeyOf', () => {
  it('is the event id when it names one event', () => {
    const event = createDelivery({ type: 'video.completed', job: { id: 'G-01KA7Q3M9V2X5C8B4N6D1F0H7J' } });
    expect(dedupeKeyOf(event as unknown as WebhookEvent)).toBe(event.id);
  });

  it('is (kind, job id, delivery key) where the sender cut the id or collapsed characters of the job id', () => {
    const [created, progress] = events(LONG_ID) as unknown as WebhookEvent[];
    expect(created!.id).toBe(progress!.id); // the sender's ids collide
    expect(dedupeKeyOf(created!)).toBe(JSON.stringify(['evt', 'video', LONG_ID, created!.delivery.key]));
    expect(dedupeKeyOf(created!)).not.toBe(dedupeKeyOf(progress!));
    const dotted = createDelivery({ type: 'video.completed', job: { id: 'G-a.b' } });
    const coloned = createDelivery({ type: 'video.completed', job: { id: 'G-a:b' } });
    expect(dotted.id).toBe(coloned.id);
    expect(dedupeKeyOf(dotted as unknown as WebhookEvent)).not.toBe(dedupeKeyOf(coloned as unknown as WebhookEvent));
  });
});

describe('a job whose event ids the sender cut at 160 characters', () => {
  it('has each of its events processed once, duplicates still duplicates, and ends completed', async () => {
    const receiver = createReceiver({ secret: SECRET, logger: {} });
    const runs: string[] = [];
    receiver.onAny(({ event }) => void runs.push(event.delivery.key));
    const sent = events(LONG_ID);
    const answers = [];
    for (const body of sent) answers.push(await post(receiver, body));
    expect(answers.map((a) => [a.status, JSON.parse(a.body).duplicate ?? false])).toEqual([
      [200, false],
      [200, false],
      [200, false],
      [200, false],
    ]);
    expect(runs).toEqual(sent.map((body) => body.delivery.key));
    expect(JSON.parse((await post(receiver, sent[1]!)).body)).toMatchObject({ duplicate: true });
    expect(runs).toHaveLength(4);
    expect(await receiver.options.jobs.get(LONG_ID)).toMatchObject({ status: 'completed', progress: 100 });
  });

  it('gives each event its own inbox entry', async () => {
    const entries: InboxEntry[] = [];
    const inbox = {
      enqueue: async (entry: InboxEntry) => {
        const duplicate = entries.some((e) => e.eventId === entry.eventId);
        if (!duplicate) entries.push(entry);
        return { duplicate };
      },
    };
    const receiver = createReceiver({ secret: SECRET, logger: {}, inbox });
    for (const body of events(LONG_ID))
      expect(JSON.parse((await post(receiver, body)).body)).toMatchObject({ queued: true });
    expect(new Set(entries.map((e) => e.eventId)).size).toBe(4);
    const worker = createReceiver({ secret: SECRET, logger: {} });
    for (const entry of entries) expect(await worker.processQueued(entry)).toBe('processed');
    expect(await worker.options.jobs.get(LONG_ID)).toMatchObject({ status: 'completed' });
  });
});
