import { createReceiver, type Inbox, type InboxEntry, type DeliveryReport } from '@ai-stats-webhooks/core';
import { SECRET, event, fixture, sign, type WebhookFixture } from '../../../test/helpers/deliveries';

const T = 1786528925;

function memoryInbox(): Inbox & { entries: InboxEntry[] } {
  const entries: InboxEntry[] = [];
  return {
    entries,
    enqueue: async (entry) => {
      if (entries.some((stored) => stored.eventId === entry.eventId)) return { duplicate: true };
      entries.push(entry);
      return { duplicate: false };
    },
  };
}

function setup(inbox: Inbox = memoryInbox()) {
  const reports: DeliveryReport[] = [];
  const receiver = createReceiver({
    secret: SECRET,
    now: () => T * 1000,
    logger: {},
    inbox,
    onDelivery: (report) => void reports.push(report),
  });
  const send = async (f: WebhookFixture) => {
    const d = sign(f, { timestamp: T });
    const response = await receiver.handle({ method: 'POST', headers: d.headers, rawBody: d.body });
    return { ...response, json: JSON.parse(response.body) as Record<string, unknown> };
  };
  return { receiver, send, reports };
}

describe('inbox mode', () => {
  it('answers 200 once the delivery is stored, without running handlers, and a copy 200 duplicate', async () => {
    const inbox = memoryInbox();
    const { receiver, send, reports } = setup(inbox);
    let runs = 0;
    receiver.onAny(() => void runs++);
    const first = await send(fixture('video.completed.json'));
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({ ok: true, queued: true });
    expect((await send(event('video.completed.json', { attempt: 2 }))).json).toMatchObject({ duplicate: true });
    expect(runs).toBe(0);
    expect(inbox.entries).toHaveLength(1);
    expect(inbox.entries[0]).toMatchObject({
      eventId: 'evt_video_G-01KA7Q3M9V2X5C8B4N6D1F0H7J_video_completed',
      type: 'video.completed',
      jobId: 'G-01KA7Q3M9V2X5C8B4N6D1F0H7J',
      attempt: 1,
      prefix: 'phaseo',
    });
    expect(reports.map((r) => [r.outcome, r.queued])).toEqual([
      ['processed', true],
      ['duplicate', false],
    ]);
  });

  it('processes a stored entry once through processQueued, with the stored delivery facts', async () => {
    const inbox = memoryInbox();
    const { receiver, send } = setup(inbox);
    const seen: unknown[] = [];
    receiver.on('video.completed', ({ job, delivery }) => void seen.push([job.status, delivery.attempt]));
    await send(fixture('video.completed.json'));
    const entry = inbox.entries[0]!;
    expect(await receiver.processQueued(entry)).toBe('processed');
    expect(await receiver.processQueued(entry)).toBe('duplicate');
    expect(seen).toEqual([['completed', 1]]);
    expect(await receiver.options.jobs.get(entry.jobId)).toMatchObject({ status: 'completed' });
  });

  it('rejects with a retryable error when a handler throws, so the worker can retry it', async () => {
    const inbox = memoryInbox();
    const { receiver, send } = setup(inbox);
    let fail = true;
    receiver.on('video.completed', () => {
      if (fail) throw new Error('download failed');
    });
    await send(fixture('video.completed.json'));
    await expect(receiver.processQueued(inbox.entries[0]!)).rejects.toMatchObject({
      code: 'handler_failed',
      retryable: true,
    });
    fail = false;
    expect(await receiver.processQueued(inbox.entries[0]!)).toBe('processed');
  });

  it('answers 503 when the inbox cannot store the delivery (nothing is acknowledged)', async () => {
    const { send } = setup({ enqueue: () => Promise.reject(new Error('disk full')) });
    const res = await send(fixture('video.completed.json'));
    expect(res.status).toBe(503);
    expect(res.json).toMatchObject({ error: 'store_unavailable' });
  });
});
