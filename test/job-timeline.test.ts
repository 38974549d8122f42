import type { DeliveryReport, WebhookContext } from '@ai-stats-webhooks/core';
import {
  createJobTimeline,
  JOB_TIMELINE_DEFAULTS,
  type ApiReadEntry,
  type DeliveryEntry,
} from '../examples/express/src/job-timeline';
import { VERDICT_LABELS } from '../examples/express/src/job-verdict';

// The dashboard's per-job timelines (examples/express): our answers to verified deliveries, the
// poll and reconcile reads (identical consecutive ones folded), the newest reading of the
// sender's own view, the bounds, and the verdicts computed from them.

const JOB = 'G-01KA7Q3M9V2X5C8B4N6D1F0H7J';
const T0 = Date.parse('2026-01-01T12:00:00.000Z');

/** A clock the test moves: `clock.now` is read by the timeline. */
const makeClock = () => {
  const clock = { t: T0, now: () => clock.t, tick: (ms = 1_000) => (clock.t += ms) };
  return clock;
};

const report = (changes: Partial<DeliveryReport> = {}): DeliveryReport => ({
  status: 200,
  outcome: 'processed',
  code: undefined,
  eventId: 'evt_1',
  type: 'video.created',
  jobId: JOB,
  attempt: 1,
  reconciled: false,
  conflict: undefined,
  queued: false,
  durationMs: 12.4,
  ...changes,
});

// What a handler reads of its context: the job id, the payload's webhook block, the delivery.
const context = (
  options: { jobId?: string; eventId?: string; attempt?: number; maxAttempts?: number; webhook?: unknown } = {},
): WebhookContext =>
  ({
    job: { id: options.jobId ?? JOB },
    event: { data: { webhook: options.webhook } },
    delivery: {
      eventId: options.eventId ?? 'evt_1',
      attempt: options.attempt ?? 1,
      maxAttempts: options.maxAttempts ?? 4,
    },
  }) as unknown as WebhookContext;

const webhookBlock = (delivery: Record<string, unknown>) => ({ url: 'https://example.com/hook', delivery });

const deliveries = (timeline: ReturnType<typeof createJobTimeline>, id = JOB) =>
  timeline.timeline(id).entries.filter((e): e is DeliveryEntry => e.kind === 'delivery');
const reads = (timeline: ReturnType<typeof createJobTimeline>, id = JOB) =>
  timeline.timeline(id).entries.filter((e): e is ApiReadEntry => e.kind !== 'delivery');

describe('delivery entries', () => {
  it('records time, type, attempt n of N, status, outcome, latency and no error for a success', async () => {
    const clock = makeClock();
    const timeline = createJobTimeline({ now: clock.now });
    // Inline mode: the handler runs (and reads max_attempts) before the receiver reports the answer.
    await timeline.handler(context({ eventId: 'evt_1', attempt: 2, maxAttempts: 4 }));
    timeline.recordDelivery(report({ eventId: 'evt_1', attempt: 2, durationMs: 12.6 }));
    expect(timeline.timeline(JOB).entries).toEqual([
      {
        kind: 'delivery',
        at: '2026-01-01T12:00:00.000Z',
        event_id: 'evt_1',
        event_type: 'video.created',
        attempt: 2,
        max_attempts: 4,
        status: 200,
        outcome: 'processed',
        latency_ms: 13,
        error: null,
        reconciled: false,
        queued: false,
      },
    ]);
  });

  it('fills max_attempts in when the handler runs after the answer (inbox mode)', async () => {
    const timeline = createJobTimeline({ now: makeClock().now });
    timeline.recordDelivery(report({ eventId: 'evt_q', attempt: 3, queued: true }));
    expect(deliveries(timeline)[0]).toMatchObject({ attempt: 3, max_attempts: null, queued: true });
    await timeline.handler(context({ eventId: 'evt_q', attempt: 3, maxAttempts: 4 }));
    expect(deliveries(timeline)[0]).toMatchObject({ attempt: 3, max_attempts: 4 });
  });

  it('records the error: the error code, else the HTTP status', () => {
    const clock = makeClock();
    const timeline = createJobTimeline({ now: clock.now });
    timeline.recordDelivery(report({ status: 500, outcome: 'failed', code: 'handler_failed' }));
    clock.tick();
    timeline.recordDelivery(report({ status: 409, outcome: 'in_flight', code: undefined, attempt: 2 }));
    expect(deliveries(timeline).map((e) => [e.at, e.status, e.outcome, e.error])).toEqual([
      ['2026-01-01T12:00:00.000Z', 500, 'failed', 'handler_failed'],
      ['2026-01-01T12:00:01.000Z', 409, 'in_flight', 'HTTP 409'],
    ]);
  });

  it('attributes no answer without a job id (a 401: its body is unauthenticated)', () => {
    const timeline = createJobTimeline();
    timeline.recordDelivery(report({ status: 401, outcome: 'rejected', code: 'signature_mismatch', jobId: undefined }));
    expect(timeline.jobCount()).toBe(0);
    expect(timeline.timeline(JOB)).toEqual({ entries: [], sender: null });
  });
});

describe('poll and reconcile entries', () => {
  it('folds identical consecutive reads into one entry with a repeat count and a last time', () => {
    const clock = makeClock();
    const timeline = createJobTimeline({ now: clock.now });
    const read = { status: 'processing', progress: 33, webhook: webhookBlock({ total_attempts: 2 }) };
    for (let i = 0; i < 3; i++) {
      timeline.recordApiRead('poll', JOB, read);
      clock.tick();
    }
    expect(timeline.timeline(JOB).entries).toEqual([
      {
        kind: 'poll',
        at: '2026-01-01T12:00:00.000Z',
        last_at: '2026-01-01T12:00:02.000Z',
        repeat: 3,
        ok: true,
        status: 'processing',
        progress: 33,
        error: null,
        // The sender's view as of the newest of the folded reads.
        sender: expect.objectContaining({ source: 'poll', read_at: '2026-01-01T12:00:00.000Z', total_attempts: 2 }),
      },
    ]);
  });

  it('starts a new entry when the read tells something else, or is of another kind', () => {
    const clock = makeClock();
    const timeline = createJobTimeline({ now: clock.now });
    const next = () => clock.tick();
    timeline.recordApiRead('poll', JOB, { status: 'processing', progress: 33 });
    next();
    timeline.recordApiRead('poll', JOB, { status: 'processing', progress: 52 });
    next();
    timeline.recordApiRead('reconcile', JOB, { status: 'processing', progress: 52 });
    next();
    timeline.recordApiRead('poll', JOB, { error: 'Upstream status fetch failed (fault).' });
    next();
    timeline.recordApiRead('poll', JOB, { error: 'Upstream status fetch failed (fault).' });
    next();
    timeline.recordApiRead('poll', JOB, { status: 'processing', progress: 52, webhook: webhookBlock({}) });
    expect(reads(timeline).map((e) => [e.kind, e.ok, e.progress, e.error, e.repeat, e.sender !== null])).toEqual([
      ['poll', true, 33, null, 1, false],
      ['poll', true, 52, null, 1, false],
      ['reconcile', true, 52, null, 1, false],
      ['poll', false, null, 'Upstream status fetch failed (fault).', 2, false],
      ['poll', true, 52, null, 1, true],
    ]);
  });

  it('never folds a read into a delivery entry between them', () => {
    const clock = makeClock();
    const timeline = createJobTimeline({ now: clock.now });
    timeline.recordApiRead('poll', JOB, { status: 'processing', progress: 33 });
    timeline.recordDelivery(report({ type: 'video.progress' }));
    timeline.recordApiRead('poll', JOB, { status: 'processing', progress: 33 });
    expect(timeline.timeline(JOB).entries.map((e) => e.kind)).toEqual(['poll', 'delivery', 'poll']);
  });

  it('keeps fields of the wrong type out (null)', () => {
    const timeline = createJobTimeline();
    timeline.recordApiRead('poll', JOB, { status: 3, progress: '50' });
    expect(reads(timeline)[0]).toMatchObject({ ok: true, status: null, progress: null });
  });
});

describe("the sender's view", () => {
  it('is taken from payloads and API reads, the newest reading winning', async () => {
    const clock = makeClock();
    const timeline = createJobTimeline({ now: clock.now });
    await timeline.handler(context({ webhook: webhookBlock({ total_attempts: 1, last_attempt_status: 'delivered' }) }));
    expect(timeline.timeline(JOB).sender).toMatchObject({ source: 'webhook', total_attempts: 1 });

    clock.tick();
    timeline.recordApiRead('poll', JOB, {
      status: 'processing',
      webhook: webhookBlock({ total_attempts: 2, last_attempt_status: 'scheduled_retry', last_response_status: 503 }),
    });
    expect(timeline.timeline(JOB).sender).toMatchObject({
      source: 'poll',
      read_at: '2026-01-01T12:00:01.000Z',
      total_attempts: 2,
      last_response_status: 503,
    });

    // A read without a webhook block (or a failed read) keeps the last reading.
    clock.tick();
    timeline.recordApiRead('poll', JOB, { status: 'processing' });
    timeline.recordApiRead('reconcile', JOB, { error: 'timeout' });
    expect(timeline.timeline(JOB).sender).toMatchObject({ source: 'poll', total_attempts: 2 });

    clock.tick();
    timeline.recordApiRead('reconcile', JOB, { status: 'processing', webhook: webhookBlock({ total_attempts: 3 }) });
    expect(timeline.timeline(JOB).sender).toMatchObject({ source: 'reconcile', total_attempts: 3 });

    clock.tick();
    await timeline.handler(
      context({ eventId: 'evt_2', webhook: webhookBlock({ total_attempts: 4, last_attempt_status: 'delivered' }) }),
    );
    expect(timeline.timeline(JOB).sender).toMatchObject({
      source: 'webhook',
      read_at: '2026-01-01T12:00:04.000Z',
      total_attempts: 4,
    });
  });

  it('keeps a newer reading over one read earlier (a clock that is not monotonic)', async () => {
    const clock = makeClock();
    const timeline = createJobTimeline({ now: clock.now });
    clock.tick(10_000);
    timeline.recordApiRead('poll', JOB, { status: 'processing', webhook: webhookBlock({ total_attempts: 5 }) });
    clock.tick(-5_000);
    await timeline.handler(context({ webhook: webhookBlock({ total_attempts: 1 }) }));
    expect(timeline.timeline(JOB).sender).toMatchObject({ source: 'poll', total_attempts: 5 });
  });
});

describe('bounds', () => {
  it('defaults to the last 50 entries of each of the last 1,000 jobs', () => {
    expect(JOB_TIMELINE_DEFAULTS).toEqual({ maxJobs: 1_000, maxEntries: 50 });
    const timeline = createJobTimeline();
    for (let n = 1; n <= 60; n++) timeline.recordDelivery(report({ eventId: `evt_${n}` }));
    const kept = deliveries(timeline);
    expect(kept).toHaveLength(50);
    expect(kept[0]!.event_id).toBe('evt_11');
    expect(kept.at(-1)!.event_id).toBe('evt_60');

    // 1,000 more jobs: 1,001 in all, the first one touched (JOB) is dropped.
    for (let n = 1; n <= 1_000; n++) timeline.recordApiRead('poll', `G-JOB${n}`, { status: 'queued' });
    expect(timeline.jobCount()).toBe(1_000);
    expect(timeline.timeline(JOB).entries).toEqual([]);
    expect(timeline.timeline('G-JOB1').entries).toHaveLength(1);
    expect(timeline.timeline('G-JOB1000').entries).toHaveLength(1);
  });

  it('keeps the last maxEntries entries, folded reads counting once', () => {
    const clock = makeClock();
    const timeline = createJobTimeline({ maxEntries: 3, now: clock.now });
    for (let n = 1; n <= 5; n++) timeline.recordDelivery(report({ eventId: `evt_${n}` }));
    for (let n = 0; n < 10; n++) timeline.recordApiRead('poll', JOB, { status: 'processing', progress: 12 });
    const entries = timeline.timeline(JOB).entries;
    expect(entries.map((e) => (e.kind === 'delivery' ? e.event_id : `${e.kind}×${e.repeat}`))).toEqual([
      'evt_4',
      'evt_5',
      'poll×10',
    ]);
  });

  it('drops the least recently touched job first: a delivery, a read or a handler touches it', async () => {
    const timeline = createJobTimeline({ maxJobs: 3 });
    timeline.recordDelivery(report({ jobId: 'G-A' }));
    timeline.recordApiRead('poll', 'G-B', { status: 'queued' });
    await timeline.handler(context({ jobId: 'G-C' }));
    timeline.recordApiRead('poll', 'G-A', { status: 'processing' }); // A touched again: B is now the oldest
    timeline.recordDelivery(report({ jobId: 'G-D' }));
    expect(timeline.jobCount()).toBe(3);
    expect(timeline.timeline('G-B')).toEqual({ entries: [], sender: null });
    expect(timeline.timeline('G-A').entries.map((e) => e.kind)).toEqual(['delivery', 'poll']);
    await timeline.handler(context({ jobId: 'G-E' })); // then C, touched before A and D
    expect(timeline.timeline('G-C').entries).toEqual([]);
    expect(timeline.timeline('G-D').entries).toHaveLength(1);
  });

  it('names the option it rejects', () => {
    expect(() => createJobTimeline({ maxJobs: 0 })).toThrow(/maxJobs: expected an integer of at least 1, found 0/);
    expect(() => createJobTimeline({ maxEntries: 2.5 })).toThrow(
      /maxEntries: expected an integer of at least 1, found 2.5/,
    );
  });

  it('answers copies: changing an answer changes nothing stored', () => {
    const timeline = createJobTimeline();
    timeline.recordDelivery(report());
    const first = timeline.timeline(JOB).entries[0] as DeliveryEntry;
    first.status = 599;
    expect(deliveries(timeline)[0]!.status).toBe(200);
  });
});

describe('verdicts through the timeline', () => {
  const job = (changes: Partial<{ status: string; source: string; updatedAt: string }> = {}) => ({
    id: JOB,
    status: 'processing',
    source: 'webhook',
    updatedAt: new Date(T0).toISOString(),
    ...changes,
  });

  it('is healthy while our answers succeed, delivery_failing after our 5xx, healthy again after a success', () => {
    const clock = makeClock();
    const timeline = createJobTimeline({ now: clock.now });
    timeline.recordDelivery(report());
    expect(timeline.verdictOf(job())).toEqual({ verdict: 'healthy', verdict_label: VERDICT_LABELS.healthy });
    clock.tick();
    timeline.recordDelivery(report({ eventId: 'evt_2', status: 500, outcome: 'failed', code: 'handler_failed' }));
    expect(timeline.verdictOf(job())).toEqual({
      verdict: 'delivery_failing',
      verdict_label: VERDICT_LABELS.delivery_failing,
    });
    clock.tick();
    timeline.recordDelivery(report({ eventId: 'evt_2', attempt: 2 }));
    expect(timeline.verdictOf(job()).verdict).toBe('healthy');
  });

  it("is rejected_by_us when the sender's view, read by a poll, shows our 401", () => {
    const clock = makeClock();
    const timeline = createJobTimeline({ now: clock.now });
    timeline.recordApiRead('poll', JOB, {
      status: 'processing',
      webhook: webhookBlock({
        last_attempt_at: new Date(T0 - 500).toISOString(),
        last_attempt_status: 'scheduled_retry',
        last_response_status: 401,
      }),
    });
    expect(timeline.verdictOf(job({ source: 'poll' })).verdict).toBe('rejected_by_us');
  });

  it('is delivery_failing when the sender reports a timeout we never answered (no delivery of ours)', () => {
    const timeline = createJobTimeline({ now: makeClock().now });
    timeline.recordApiRead('poll', JOB, {
      status: 'processing',
      webhook: webhookBlock({ last_attempt_status: 'scheduled_retry', last_response_status: null }),
    });
    expect(deliveries(timeline)).toEqual([]);
    expect(timeline.verdictOf(job({ source: 'poll' })).verdict).toBe('delivery_failing');
  });

  it('is delivery_failing when a poll after our 200 shows the sender timed out on it, healthy after a later 200', () => {
    const clock = makeClock();
    const timeline = createJobTimeline({ now: clock.now });
    const triedAt = new Date(clock.t).toISOString();
    clock.tick(20);
    timeline.recordDelivery(report()); // our 200, that reached the sender too late
    clock.tick(1_000);
    timeline.recordApiRead('poll', JOB, {
      status: 'processing',
      webhook: webhookBlock({
        last_attempt_at: triedAt,
        last_attempt_status: 'scheduled_retry',
        last_response_status: null,
        last_error_message: 'TimeoutError: The operation was aborted due to timeout',
      }),
    });
    expect(deliveries(timeline).map((e) => e.status)).toEqual([200]);
    expect(timeline.verdictOf(job()).verdict).toBe('delivery_failing');
    clock.tick(1_000);
    timeline.recordDelivery(report({ attempt: 2, outcome: 'duplicate' })); // the sender's retry
    expect(timeline.verdictOf(job()).verdict).toBe('healthy');
  });

  it('is recovered_by_polling when a poll set the state and no webhook for it came, generation_failed when failed', () => {
    const clock = makeClock();
    const timeline = createJobTimeline({ now: clock.now });
    timeline.recordDelivery(report({ type: 'video.created' }));
    timeline.recordApiRead('poll', JOB, { status: 'completed', progress: 100 });
    clock.tick(10_000);
    const polled = job({ status: 'completed', source: 'poll', updatedAt: new Date(T0).toISOString() });
    expect(timeline.verdictOf(polled).verdict).toBe('recovered_by_polling');
    timeline.recordDelivery(report({ eventId: 'evt_done', type: 'video.completed' }));
    expect(timeline.verdictOf(polled).verdict).toBe('healthy'); // the webhook came after all
    expect(timeline.verdictOf(job({ status: 'failed' })).verdict).toBe('generation_failed');
  });

  it('is healthy for a job it knows nothing about', () => {
    expect(createJobTimeline().verdictOf(job({ id: 'G-NEW' } as never)).verdict).toBe('healthy');
  });
});
