import {
  createPoller,
  createReceiver,
  createVideosClient,
  createMemoryDedupeStore,
  createMemoryJobStore,
  RECEIVER_DEFAULTS,
  WebhookError,
  type ConflictReport,
  type JobStore,
  type MaybePromise,
  type DeliveryReport,
  type ReceiverOptions,
  type WebhookContext,
} from '@ai-stats-webhooks/core';
import { SECRET, event, fixture, sign, type WebhookFixture } from '../../../test/helpers/deliveries';
import { startScriptedApi, type ScriptedApi } from '../../../test/helpers/scripted-api';
import { startStubApi, type StubApi } from '../../../test/helpers/stub-api';

const T = 1786528925;
const silent = { logger: {} };

function setup(options: Partial<ReceiverOptions> = {}) {
  const calls: WebhookContext[] = [];
  const receiver = createReceiver({ secret: SECRET, now: () => T * 1000, ...silent, ...options });
  receiver.onAny((ctx) => {
    calls.push(ctx);
  });
  const send = async (
    f: WebhookFixture,
    signOptions: Parameters<typeof sign>[1] = {},
    extraHeaders: Record<string, string> = {},
  ) => {
    const d = sign(f, { timestamp: T, ...signOptions });
    const response = await receiver.handle({
      method: 'POST',
      headers: { ...d.headers, ...extraHeaders },
      rawBody: Buffer.from(d.body),
    });
    return { ...response, json: JSON.parse(response.body) as Record<string, unknown> };
  };
  return { receiver, calls, send };
}

describe('receiver pipeline', () => {
  it('processes a delivery once, stores the job and answers 200', async () => {
    const { receiver, calls, send } = setup();
    const res = await send(fixture('video.completed.json'));
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      ok: true,
      event_id: 'evt_video_G-01KA7Q3M9V2X5C8B4N6D1F0H7J_video_completed',
      status: 'completed',
    });
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.delivery).toMatchObject({ attempt: 1, prefix: 'phaseo', legacy: false });
    // Undeclared fields pass through untouched.
    expect(calls[0]!.event.data).toMatchObject({
      billing: { currency: 'usd', total_nanos: 400000000 },
      webhook: { endpoint_id: 'we_7f3c2a' },
    });
    expect(await receiver.options.jobs.get('G-01KA7Q3M9V2X5C8B4N6D1F0H7J')).toMatchObject({
      status: 'completed',
      progress: 100,
      source: 'webhook',
    });
  });

  it('answers a repeated event 200 duplicate without running handlers again, even from a retry attempt', async () => {
    const { calls, send } = setup();
    await send(fixture('video.completed.json'));
    const again = await send(event('video.completed.json', { attempt: 2 }));
    expect(again.status).toBe(200);
    expect(again.json).toMatchObject({ duplicate: true });
    expect(calls).toHaveLength(1);
  });

  it('answers 409 to the same event while it is in flight, then 200 duplicate', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const { receiver, send } = setup();
    let runs = 0;
    receiver.on('video.completed', async () => {
      runs++;
      await gate;
    });
    const first = send(fixture('video.completed.json'));
    await new Promise((r) => setTimeout(r, 10));
    const twins = await Promise.all([send(fixture('video.completed.json')), send(fixture('video.completed.json'))]);
    expect(twins.map((r) => r.status)).toEqual([409, 409]);
    expect(twins[0]!.json).toMatchObject({ error: 'in_flight' });
    release();
    expect((await first).status).toBe(200);
    expect((await send(fixture('video.completed.json'))).json).toMatchObject({ duplicate: true });
    expect(runs).toBe(1);
  });

  it('releases the claim when a handler throws (500), so the retry is processed once', async () => {
    const { receiver, calls, send } = setup();
    let fail = true;
    receiver.on('video.completed', () => {
      if (fail) throw new Error('database down');
    });
    const first = await send(fixture('video.completed.json'));
    expect(first.status).toBe(500);
    expect(first.json).toMatchObject({ error: 'handler_failed' });
    expect(first.body).not.toContain('database down');
    fail = false;
    expect((await send(event('video.completed.json', { attempt: 2 }))).status).toBe(200);
    expect((await send(event('video.completed.json', { attempt: 3 }))).json).toMatchObject({ duplicate: true });
    expect(calls.filter((c) => c.delivery.attempt === 2)).toHaveLength(1);
  });

  it('a crashed worker blocks the event only for the lease', async () => {
    let now = T * 1000;
    const dedupe = createMemoryDedupeStore({ leaseMs: 60_000, now: () => now });
    const { send } = setup({ dedupe, now: () => now });
    const key = 'evt_video_G-01KA7Q3M9V2X5C8B4N6D1F0H7J_video_completed';
    await dedupe.claim(key); // a worker that claimed and died
    expect((await send(fixture('video.completed.json'))).status).toBe(409);
    now += 61_000;
    expect((await send(fixture('video.completed.json'), { timestamp: T + 61 })).status).toBe(200);
  });

  it.each([
    ['GET method', { method: 'GET' }, 405, 'method_not_allowed'],
    ['text/plain', { contentType: 'text/plain' }, 415, 'unsupported_media_type'],
    ['no content type', { contentType: null }, 415, 'unsupported_media_type'],
    ['JSON in UTF-16', { contentType: 'application/json; charset=utf-16' }, 415, 'unsupported_media_type'],
    ['stale timestamp', { timestamp: T - 301 }, 401, 'timestamp_too_old'],
    ['future timestamp', { timestamp: T + 301 }, 401, 'timestamp_in_future'],
    ['wrong secret', { secret: 'whsec_wrong' }, 401, 'signature_mismatch'],
    ['invalid JSON', { rawBody: '{"id":' }, 400, 'invalid_json'],
    ['empty body', { rawBody: '' }, 400, 'invalid_json'],
    ['array body', { rawBody: '[]' }, 400, 'invalid_payload'],
    [
      'schema break',
      {
        rawBody:
          '{"id":"evt_1","type":"video.completed","created_at":1,"delivery":{"key":"k","attempt":0,"max_attempts":4},"data":{"id":"G-1","status":"completed"}}',
      },
      400,
      'invalid_payload',
    ],
    [
      'a job id that is not a plain token',
      {
        rawBody:
          '{"id":"evt_1","type":"video.completed","created_at":1,"delivery":{"key":"video.completed","attempt":1,"max_attempts":4},"data":{"id":"../admin","status":"completed"}}',
      },
      400,
      'invalid_payload',
    ],
    ['__proto__ key', { rawBody: '{"id":"evt_1","__proto__":{"x":1}}' }, 400, 'invalid_payload'],
    ['escaped __proto__ key', { rawBody: '{"id":"evt_1","data":{"\\u005f_proto__":{"x":1}}}' }, 400, 'invalid_payload'],
    [
      '__proto__ deep in an array',
      { rawBody: `{"id":"evt_1","a":${'['.repeat(5000)}{"__proto__":1}${']'.repeat(5000)}}` },
      400,
      'invalid_payload',
    ],
    ['deep nesting', { rawBody: '['.repeat(200_000) }, 400, 'invalid_json'],
    [
      'deep but valid nesting',
      { rawBody: `{"id":"evt_1","a":${'['.repeat(100_000)}${']'.repeat(100_000)}}` },
      400,
      'invalid_payload',
    ],
  ])(
    'rejects %s (expected status and code) and runs no handler',
    async (_name, change: Record<string, unknown>, status, code) => {
      const { receiver, calls } = setup();
      const d = sign(fixture('video.completed.json'), {
        timestamp: (change.timestamp as number) ?? T,
        ...(change.secret ? { secret: change.secret as string } : {}),
        ...(change.rawBody !== undefined ? { rawBody: change.rawBody as string } : {}),
      });
      const headers: Record<string, string> = { ...d.headers };
      if (change.contentType === null) delete headers['content-type'];
      else if (change.contentType) headers['content-type'] = change.contentType as string;
      const res = await receiver.handle({ method: (change.method as string) ?? 'POST', headers, rawBody: d.body });
      expect(res.status).toBe(status);
      expect(JSON.parse(res.body)).toMatchObject({ error: code, message: expect.any(String) });
      expect(res.body).not.toContain(SECRET);
      expect(calls).toHaveLength(0);
    },
  );

  it.each(['application/json; charset=utf-8', 'application/json;charset="UTF-8"', 'application/vnd.api+json; v=2'])(
    'takes %s (UTF-8, or no charset)',
    async (contentType) => {
      const { receiver, calls } = setup();
      const d = sign(fixture('video.completed.json'), { timestamp: T });
      const res = await receiver.handle({ headers: { ...d.headers, 'content-type': contentType }, rawBody: d.body });
      expect(res.status).toBe(200);
      expect(calls).toHaveLength(1);
    },
  );

  it('rejects a body that is not UTF-8', async () => {
    const { receiver } = setup();
    const bytes = Buffer.from([0x7b, 0xff, 0xfe, 0x7d]);
    const d = sign({ body: null }, { timestamp: T, rawBody: 'x' });
    const { createHmac } = await import('node:crypto');
    const signature = createHmac('sha256', SECRET).update(`${T}.`).update(bytes).digest('hex');
    const res = await receiver.handle({ headers: { ...d.headers, 'x-phaseo-signature': signature }, rawBody: bytes });
    expect(res.status).toBe(400);
    expect(res.body).toMatch(/UTF-8/);
  });

  it('answers 413 past maxBodyBytes and stops a reader at the limit', async () => {
    const { receiver } = setup({ maxBodyBytes: 100 });
    const d = sign(fixture('video.completed.json'), { timestamp: T });
    const tooLarge = await receiver.handle({ headers: d.headers, rawBody: d.body });
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.headers.connection).toBe('close');
    let limitSeen = 0;
    const res = await receiver.handle({
      headers: d.headers,
      rawBody: async (limit) => {
        limitSeen = limit;
        throw new Error('socket hang up'); // any failure of the stream itself
      },
    });
    expect(limitSeen).toBe(100);
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toMatchObject({ error: 'body_read_failed' });
  });

  it('rejects unsigned headers that contradict the signed body', async () => {
    const { send } = setup();
    const res = await send(fixture('video.completed.json'), {}, { 'x-phaseo-event-type': 'video.failed' });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ error: 'header_mismatch' });
  });

  it('rejects legacy (G0–G1) bodies by default and accepts them on opt-in under the G2 event id', async () => {
    const legacy = fixture('legacy.g1.video.completed.json');
    const strict = setup();
    expect((await strict.send(legacy, { prefix: 'ai-stats' })).json).toMatchObject({ error: 'legacy_delivery' });
    const lenient = setup({ legacy: 'accept' });
    const res = await lenient.send(legacy, { prefix: 'ai-stats' });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      event_id: 'evt_video_G-01KRDPM7M03F5H7J9KBCDEFGHN_video_completed',
      status: 'completed',
    });
    expect((await lenient.send(legacy, { prefix: 'ai-stats' })).json).toMatchObject({ duplicate: true });
    expect(lenient.calls[0]!.delivery.legacy).toBe(true);
  });

  it('accepts a batch event and the expired-batch quirk', async () => {
    const { send, receiver } = setup();
    expect((await send(fixture('batch.completed.json'))).status).toBe(200);
    const expired = event('batch.completed.json', {
      jobId: 'batch_2',
      type: 'batch.failed',
      key: 'batch.failed',
      status: 'expired',
    });
    expect((await send(expired)).json).toMatchObject({ status: 'expired' });
    expect(await receiver.options.jobs.get('batch_2')).toMatchObject({ kind: 'batch', status: 'expired' });
  });

  it('routes on(type) handlers by type and validates the type', async () => {
    const { receiver, send } = setup();
    const seen: string[] = [];
    receiver.on(['video.progress', 'video.failed'], ({ event }) => {
      seen.push(event.type);
    });
    await send(fixture('video.progress.50.json'));
    await send(fixture('video.completed.json'));
    expect(seen).toEqual(['video.progress']);
    expect(() => receiver.on('video.complete' as never, () => undefined)).toThrow(/video.completed/);
  });

  it('runs handlers in order, specific before onAny, awaiting the asynchronous ones', async () => {
    const order: string[] = [];
    const receiver = createReceiver({ secret: SECRET, now: () => T * 1000, ...silent });
    receiver.on('video.progress', () => void order.push('specific sync'));
    receiver.on('video.progress', async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      order.push('specific async');
    });
    receiver.onAny(() => void order.push('any sync'));
    const d = sign(fixture('video.progress.50.json'), { timestamp: T });
    const res = await receiver.handle({ method: 'POST', headers: d.headers, rawBody: d.body });
    expect(res.status).toBe(200);
    expect(order).toEqual(['specific sync', 'specific async', 'any sync']);
  });

  it('treats a store that throws synchronously as unavailable (503), and takes thenables from stores', async () => {
    const throwing = createMemoryDedupeStore();
    const broken = setup({
      dedupe: {
        ...throwing,
        claim: () => {
          throw new Error('connection reset');
        },
      },
    });
    const down = await broken.send(fixture('video.completed.json'));
    expect([down.status, down.json.error]).toEqual([503, 'store_unavailable']);
    expect(broken.calls).toHaveLength(0);

    // A store answering with a thenable that is not a native Promise (another promise library).
    const jobs = createMemoryJobStore();
    const thenable = <T>(value: MaybePromise<T>): PromiseLike<T> => ({
      then: (resolve, reject) => Promise.resolve(value).then(resolve, reject),
    });
    const custom = setup({
      jobs: {
        get: (id) => thenable(jobs.get(id)),
        update: (id, apply) => thenable(jobs.update(id, apply)),
        list: (options) => jobs.list(options),
      },
    });
    const ok = await custom.send(fixture('video.completed.json'));
    expect([ok.status, ok.json.status]).toEqual([200, 'completed']);
    expect((await jobs.get(String(ok.json.job_id)))?.status).toBe('completed');
  });

  it('measures durationMs on a monotonic clock: a wall clock stepped back never makes it negative', async () => {
    const reports: DeliveryReport[] = [];
    let wall = T * 1000;
    // Each reading of the injected wall clock is 2 s earlier than the one before (an NTP step).
    const { receiver, send } = setup({ now: () => (wall -= 2000), onDelivery: (r) => void reports.push(r) });
    receiver.on('video.completed', () => undefined);
    await send(fixture('video.completed.json'));
    expect(reports).toHaveLength(1);
    expect(reports[0]!.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('reports every delivery outcome through onDelivery', async () => {
    const reports: DeliveryReport[] = [];
    const { receiver, send } = setup({ onDelivery: (r) => void reports.push(r) });
    let fail = true;
    receiver.on('video.failed', () => {
      if (fail) throw new Error('boom');
    });
    await send(fixture('video.completed.json'));
    await send(fixture('video.completed.json'));
    await send(fixture('video.completed.json'), { secret: 'whsec_wrong' });
    await send(fixture('video.failed.attempt2.json'));
    fail = false;
    expect(reports.map((r) => [r.outcome, r.status, r.code ?? null])).toEqual([
      ['processed', 200, null],
      ['duplicate', 200, null],
      ['rejected', 401, 'signature_mismatch'],
      ['failed', 500, 'handler_failed'],
    ]);
    expect(reports[0]).toMatchObject({
      eventId: expect.stringMatching(/^evt_video_/),
      type: 'video.completed',
      jobId: 'G-01KA7Q3M9V2X5C8B4N6D1F0H7J',
      attempt: 1,
      reconciled: false,
    });
    expect(reports[2]!.eventId).toBeUndefined();
  });

  it('validates options at construction, naming the option', () => {
    expect(() => createReceiver({ secret: '' })).toThrow(/Option "secret"/);
    expect(() => createReceiver({ secret: 's', maxBodyBytes: 0 })).toThrow(/Option "maxBodyBytes"/);
    expect(() => createReceiver({ secret: 's', reconcile: 'sometimes' as never })).toThrow(/Option "reconcile"/);
    expect(() => createReceiver({ secret: 's', reconcile: 'always' })).toThrow(/Option "api"/);
  });

  it('refuses durations longer than a timer can wait (2^31 - 1 ms), which would fire at once', () => {
    expect(() => createReceiver({ secret: 's', bodyTimeoutMs: 2 ** 31 })).toThrow(
      /Option "bodyTimeoutMs": expected an integer number of milliseconds from 1 to 2147483647/,
    );
    expect(() => createMemoryDedupeStore({ leaseMs: Number.MAX_SAFE_INTEGER })).toThrow(/Option "leaseMs"/);
    expect(() =>
      createPoller({ api: createVideosClient({ apiKey: 'k' }), jobs: createMemoryJobStore(), intervalMs: 2 ** 32 }),
    ).toThrow(/Option "intervalMs"/);
  });
});

describe('reconciliation', () => {
  let api: StubApi;
  const id = 'G-01KA7Q3M9V2X5C8B4N6D1F0H7J';
  beforeAll(async () => {
    api = await startStubApi();
  });
  afterAll(() => api.close());
  beforeEach(() => {
    api.mode = 'ok';
    api.set(id, fixture('video.get.completed.json'));
  });

  const withApi = (options: Partial<ReceiverOptions> = {}) => {
    const conflicts: ConflictReport[] = [];
    const s = setup({
      api: { baseUrl: api.baseUrl, apiKey: 'sk_test', timeoutMs: 300 },
      onConflict: (c) => void conflicts.push(c),
      ...options,
    });
    return { ...s, conflicts };
  };

  it('does not call the API when the delivery agrees with the state', async () => {
    const { send } = withApi();
    const before = api.requests.length;
    await send(fixture('video.status_changed.json'));
    await send(fixture('video.completed.json'));
    expect(api.requests.length).toBe(before);
  });

  it('settles a terminal disagreement with the API (200) and reports it', async () => {
    const { send, receiver, conflicts, calls } = withApi();
    await send(fixture('video.completed.json'));
    const failed = await send(event('video.failed.attempt2.json', { jobId: id }));
    expect(failed.status).toBe(200);
    expect(conflicts[0]).toMatchObject({ reason: 'terminal_mismatch', resolution: 'reconciled' });
    expect(calls.at(-1)!.reconciled).toBe(true);
    expect(await receiver.options.jobs.get(id)).toMatchObject({ status: 'completed' });
    api.set(id, {
      ...fixture<Record<string, unknown>>('video.get.completed.json'),
      status: 'failed',
      error: 'provider failed late',
    });
    await send(
      event('video.failed.attempt2.json', {
        jobId: id,
        attempt: 3,
        type: 'video.expired',
        key: 'video.expired',
        status: 'expired',
      }),
    );
    expect(await receiver.options.jobs.get(id)).toMatchObject({
      status: 'failed',
      source: 'reconcile',
      failure: { message: 'provider failed late' },
    });
  });

  it('answers 503 and releases the claim when the API fails with 5xx or times out', async () => {
    const { send, calls } = withApi();
    await send(fixture('video.completed.json'));
    for (const mode of ['503', 'timeout'] as const) {
      api.mode = mode;
      const res = await send(fixture('video.status_changed.json'));
      expect(res.status).toBe(503);
      expect(res.json).toMatchObject({ error: 'reconcile_failed' });
    }
    api.mode = 'ok';
    const retry = await send(event('video.status_changed.json', { attempt: 2 }));
    expect(retry.status).toBe(200);
    expect(retry.json).toMatchObject({ status: 'completed' });
    expect(calls.map((c) => c.event.type)).toEqual(['video.completed', 'video.status_changed']);
  });

  it('answers 503 when the API answer stalls or is cut off in the middle of its body (a transport failure, not a final answer)', async () => {
    const { send, conflicts } = withApi();
    await send(fixture('video.completed.json'));
    for (const mode of ['stall-body', 'cut-body'] as const) {
      api.mode = mode;
      const res = await send(event('video.failed.attempt2.json', { jobId: id }));
      expect([mode, res.status, res.json.error]).toEqual([mode, 503, 'reconcile_failed']);
    }
    api.mode = 'ok';
    const retry = await send(event('video.failed.attempt2.json', { jobId: id, attempt: 3 }));
    expect([retry.status, retry.json.status]).toEqual([200, 'completed']);
    expect(conflicts.at(-1)).toMatchObject({ reason: 'terminal_mismatch', resolution: 'reconciled' });
  });

  it.each(['501', '404'] as const)(
    'lets the monotonic rules decide when the API answers %s, with no retry loop',
    async (mode) => {
      const { send, conflicts, receiver } = withApi();
      await send(fixture('video.completed.json'));
      api.mode = mode;
      const res = await send(event('video.failed.attempt2.json', { jobId: id }));
      expect(res.status).toBe(200);
      expect(conflicts[0]).toMatchObject({
        reason: 'terminal_mismatch',
        resolution: 'api_unavailable',
        apiError: { code: mode === '501' ? 'api_not_implemented' : 'api_not_found' },
      });
      expect(await receiver.options.jobs.get(id)).toMatchObject({ status: 'completed' });
    },
  );

  it('reconciles a disagreement that only shows at write time (two workers racing on one job)', async () => {
    for (const order of [0, 1]) {
      const jobs = createMemoryJobStore();
      // Both deliveries read the job before either writes: the conflict appears inside update().
      const racing: JobStore = {
        ...jobs,
        get: async (jobId) => {
          const job = await jobs.get(jobId);
          await new Promise((r) => setTimeout(r, 20));
          return job;
        },
      };
      const { send, conflicts } = withApi({ jobs: racing });
      const deliveries = [fixture('video.completed.json'), event('video.failed.attempt2.json', { jobId: id })];
      const answers = await Promise.all((order ? deliveries.reverse() : deliveries).map((f) => send(f)));
      expect(answers.map((a) => a.status)).toEqual([200, 200]);
      expect(await jobs.get(id)).toMatchObject({ status: 'completed' });
      expect(conflicts).toEqual([expect.objectContaining({ reason: 'terminal_mismatch', resolution: 'reconciled' })]);
    }
  });

  it('applies the API state to a delivery that contradicts itself', async () => {
    const { send, receiver, conflicts } = withApi();
    const res = await send(event('video.completed.json', { status: 'processing' }));
    expect(res.status).toBe(200);
    expect(conflicts[0]).toMatchObject({ reason: 'contradiction', resolution: 'reconciled' });
    expect(await receiver.options.jobs.get(id)).toMatchObject({ status: 'completed', source: 'reconcile' });
  });

  it("asks the API on every delivery with reconcile: 'always', and never with 'never'", async () => {
    const always = withApi({ reconcile: 'always' });
    const before = api.requests.length;
    await always.send(fixture('video.status_changed.json'));
    expect(api.requests.length).toBe(before + 1);
    expect(await always.receiver.options.jobs.get(id)).toMatchObject({ status: 'completed' });
    const never = withApi({ reconcile: 'never' });
    await never.send(fixture('video.completed.json'));
    await never.send(event('video.failed.attempt2.json', { jobId: id }));
    expect(api.requests.length).toBe(before + 1);
    expect(never.conflicts[0]).toMatchObject({ resolution: 'not_reconciled' });
  });

  it('fails the delivery (5xx) when onConflict throws, so nothing is acknowledged unprocessed', async () => {
    const { send } = withApi({
      onConflict: () => {
        throw new Error('alerting down');
      },
    });
    await send(fixture('video.completed.json'));
    expect((await send(event('video.failed.attempt2.json', { jobId: id }))).status).toBe(500);
  });
});

describe('hardening: reconciliation trusts only answers about the job asked for', () => {
  let scripted: ScriptedApi;
  const id = 'G-01KA7Q3M9V2X5C8B4N6D1F0H7J';
  const apiVideo = fixture<Record<string, unknown>>('video.get.completed.json');
  beforeAll(async () => {
    scripted = await startScriptedApi();
  });
  afterAll(() => scripted.close());

  const withScripted = (options: Partial<ReceiverOptions> = {}) => {
    const conflicts: ConflictReport[] = [];
    const s = setup({
      api: { baseUrl: scripted.baseUrl, apiKey: 'sk_test', timeoutMs: 300 },
      onConflict: (c) => void conflicts.push(c),
      ...options,
    });
    return { ...s, conflicts };
  };

  it('never applies or stores an answer about another job, and reports it like a 501', async () => {
    const { send, receiver, conflicts } = withScripted();
    await send(fixture('video.completed.json'));
    scripted.answer = () => ({ status: 200, body: { ...apiVideo, id: 'G-PHANTOM', status: 'failed' } });
    const res = await send(event('video.failed.attempt2.json', { jobId: id }));
    expect(res.status).toBe(200);
    expect(conflicts[0]).toMatchObject({
      reason: 'terminal_mismatch',
      resolution: 'api_unavailable',
      apiError: { code: 'api_invalid_response' },
    });
    expect(await receiver.options.jobs.get(id)).toMatchObject({ status: 'completed', source: 'webhook' });
    expect(await receiver.options.jobs.get('G-PHANTOM')).toBeUndefined();
  });

  it('checks the id even when a custom client does not', async () => {
    const foreign = { ...apiVideo, id: 'G-PHANTOM', status: 'failed' } as never;
    const api = { getVideo: async () => foreign, getBatch: async () => foreign } as never;
    const conflicts: ConflictReport[] = [];
    const { send, receiver } = setup({ api, onConflict: (c) => void conflicts.push(c) });
    await send(fixture('video.completed.json'));
    expect((await send(event('video.failed.attempt2.json', { jobId: id }))).status).toBe(200);
    expect(conflicts[0]).toMatchObject({ resolution: 'api_unavailable', apiError: { code: 'api_invalid_response' } });
    expect(await receiver.options.jobs.get(id)).toMatchObject({ status: 'completed' });
    expect(await receiver.options.jobs.get('G-PHANTOM')).toBeUndefined();
  });

  it.each([408, 425, 429])(
    'answers 503 when the API answers %s, releases the claim, and processes the retry',
    async (status) => {
      const { send, calls } = withScripted();
      await send(fixture('video.completed.json'));
      scripted.answer = () => ({ status, headers: { 'retry-after': '1' }, body: { error: 'rate_limited' } });
      const res = await send(fixture('video.status_changed.json'));
      expect(res.status).toBe(503);
      expect(res.json).toMatchObject({ error: 'reconcile_failed' });
      scripted.answer = () => ({ status: 200, body: apiVideo });
      const retry = await send(event('video.status_changed.json', { attempt: 2 }));
      expect(retry.status).toBe(200);
      expect(calls.map((c) => c.event.type)).toEqual(['video.completed', 'video.status_changed']);
    },
  );
});

describe('hardening: leases', () => {
  it('commits when the lease expired and nobody claimed since: a slow handler is not run again', async () => {
    let now = T * 1000;
    const memory = createMemoryDedupeStore({ leaseMs: 60_000, now: () => now });
    // A store that cannot extend leases (a third-party store), so the lease really expires.
    const dedupe = { claim: memory.claim, commit: memory.commit, release: memory.release };
    const { receiver, send } = setup({ dedupe, now: () => now });
    let runs = 0;
    receiver.on('video.completed', () => {
      runs++;
      now += 61_000; // the handler outlives the lease
    });
    expect((await send(fixture('video.completed.json'))).status).toBe(200);
    const again = await send(event('video.completed.json', { attempt: 2 }), { timestamp: T + 61 });
    expect(again.json).toMatchObject({ duplicate: true });
    expect(runs).toBe(1);
  });

  it('extends the lease while handlers run, so a copy arriving after leaseMs is still 409', async () => {
    const dedupe = createMemoryDedupeStore({ leaseMs: 90 });
    const { receiver, send } = setup({ dedupe, now: Date.now });
    let runs = 0;
    receiver.on('video.completed', async () => {
      runs++;
      await new Promise((resolve) => setTimeout(resolve, 400));
    });
    const now = () => ({ timestamp: Math.floor(Date.now() / 1000) });
    const first = send(fixture('video.completed.json'), now());
    await new Promise((resolve) => setTimeout(resolve, 250)); // well past leaseMs
    expect((await send(event('video.completed.json', { attempt: 2 }), now())).status).toBe(409);
    expect((await first).status).toBe(200);
    expect((await send(event('video.completed.json', { attempt: 3 }), now())).json).toMatchObject({
      duplicate: true,
    });
    expect(runs).toBe(1);
  });
});

describe('hardening: handlers see the transition their event caused, on every attempt', () => {
  it('a retried event is not applied twice and shows the same previous state and changed flag', async () => {
    const { receiver, send } = setup();
    const seen: { previous: string | undefined; changed: boolean }[] = [];
    let failures = 2;
    receiver.on('video.completed', ({ transition }) => {
      seen.push({ previous: transition.previous?.status, changed: transition.changed });
      if (failures-- > 0) throw new Error('disk full');
    });
    await send(fixture('video.status_changed.json'));
    expect((await send(fixture('video.completed.json'))).status).toBe(500);
    expect((await send(event('video.completed.json', { attempt: 2 }))).status).toBe(500);
    expect((await send(event('video.completed.json', { attempt: 3 }))).status).toBe(200);
    expect(seen).toEqual([
      { previous: 'processing', changed: true },
      { previous: 'processing', changed: true },
      { previous: 'processing', changed: true },
    ]);
    const job = await receiver.options.jobs.get('G-01KA7Q3M9V2X5C8B4N6D1F0H7J');
    expect(job).toMatchObject({ status: 'completed', version: 2 }); // status_changed made v1, completed v2, once
  });

  it('a first event that created the job shows no previous state on its retry', async () => {
    const { receiver, send } = setup();
    const seen: unknown[] = [];
    let fail = true;
    receiver.on('video.completed', ({ transition }) => {
      seen.push([transition.previous, transition.changed]);
      if (fail) {
        fail = false;
        throw new Error('once');
      }
    });
    await send(fixture('video.completed.json'));
    await send(event('video.completed.json', { attempt: 2 }));
    expect(seen).toEqual([
      [undefined, true],
      [undefined, true],
    ]);
  });

  it('a status change retried after every progress bucket still shows its own transition', async () => {
    const { receiver, send } = setup();
    const seen: unknown[] = [];
    let fail = true;
    receiver.on('video.status_changed', ({ transition }) => {
      seen.push([transition.previous?.status, transition.changed]);
      if (fail) {
        fail = false;
        throw new Error('db blip');
      }
    });
    expect((await send(fixture('video.status_changed.json'))).status).toBe(500);
    for (const progress of [5, 10, 20, 30, 40, 50, 60, 70, 80, 90, 95]) {
      const key = `video.progress:${progress}`;
      const jobId = 'G-01KA7Q3M9V2X5C8B4N6D1F0H7J';
      expect((await send(event('video.progress.50.json', { progress, key, jobId }))).status).toBe(200);
    }
    expect((await send(event('video.status_changed.json', { attempt: 2 }))).status).toBe(200);
    expect(seen).toEqual([
      [undefined, true],
      [undefined, true],
    ]);
    const job = await receiver.options.jobs.get('G-01KA7Q3M9V2X5C8B4N6D1F0H7J');
    // The 11 progress events are remembered 4 at most; the status change is kept apart.
    expect(job?.appliedEvents?.length).toBe(5);
    expect(job).toMatchObject({ status: 'processing', progress: 95 });
  });
});

describe('hardening: nothing escapes handle(), and answers say nothing private', () => {
  const throwing = {
    debug: () => {
      throw new Error('logger down');
    },
    warn: () => {
      throw new Error('logger down');
    },
    error: () => {
      throw new Error('logger down');
    },
  };

  it('resolves whatever the logger, onError and onDelivery throw', async () => {
    const { receiver, send } = setup({
      logger: throwing,
      onError: () => {
        throw new Error('hook down');
      },
      onDelivery: () => {
        throw new Error('hook down');
      },
    });
    receiver.on('video.completed', () => {
      throw new Error('handler down');
    });
    expect((await send(fixture('video.completed.json'))).status).toBe(500);
    expect((await send(fixture('video.completed.json'), { secret: 'whsec_wrong' })).status).toBe(401);
    expect((await send(fixture('video.status_changed.json'))).status).toBe(200);
  });

  it('answers a handler failure with a fixed message and logs the details without credentials', async () => {
    const logged: string[] = [];
    const logger = {
      error: (message: string, fields?: unknown) => void logged.push(`${message} ${JSON.stringify(fields)}`),
    };
    const { receiver, send } = setup({ logger });
    receiver.on('video.completed', () => {
      throw new Error('connect to https://user:password@db.internal/x failed');
    });
    receiver.on('video.status_changed', () => {
      throw new WebhookError('api_network_error', 'fetch https://admin:hunter2@api.internal/v1 failed');
    });
    receiver.on('video.failed', () => {
      throw new WebhookError('invalid_payload', 'my own 4xx');
    });
    const thrown = await send(fixture('video.completed.json'));
    expect(thrown.status).toBe(500);
    expect(thrown.json).toEqual({ error: 'handler_failed', message: expect.stringMatching(/^A handler failed/) });
    const api = await send(fixture('video.status_changed.json'));
    expect(api.status).toBe(503);
    expect(api.json).toMatchObject({ error: 'api_network_error' });
    expect(api.body).not.toMatch(/hunter2|api\.internal/);
    // A handler's 4xx would tell the sender "do not retry" and lose the event: it is a 500.
    expect((await send(event('video.failed.attempt2.json', { jobId: 'G-2' }))).json).toMatchObject({
      error: 'handler_failed',
    });
    expect(logged.join('\n')).not.toMatch(/password|hunter2/);
    expect(logged.join('\n')).toContain('https://***@db.internal/x');
  });

  it('answers 408 when the body does not arrive within bodyTimeoutMs, and aborts the reader', async () => {
    const receiver = createReceiver({ secret: SECRET, bodyTimeoutMs: 50, ...silent });
    let aborted = false;
    const res = await receiver.handle({
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      rawBody: (_limit, signal) =>
        new Promise(() => {
          signal?.addEventListener('abort', () => (aborted = true));
        }),
    });
    expect(res.status).toBe(408);
    expect(JSON.parse(res.body)).toMatchObject({ error: 'body_timeout' });
    expect(res.headers.connection).toBe('close');
    expect(aborted).toBe(true);
    expect(RECEIVER_DEFAULTS.bodyTimeoutMs).toBe(30_000);
    expect(() => createReceiver({ secret: SECRET, bodyTimeoutMs: 0 })).toThrow(/Option "bodyTimeoutMs"/);
  });

  it('refuses a dedupe TTL that a late retry or replay could outlive', () => {
    const short = createMemoryDedupeStore({ ttlMs: 20 * 60_000 });
    expect(() => createReceiver({ secret: SECRET, dedupe: short })).toThrow(/Option "dedupe\.ttlMs".*25-minute/);
    const hour = createMemoryDedupeStore({ ttlMs: 60 * 60_000 });
    expect(() => createReceiver({ secret: SECRET, dedupe: hour })).not.toThrow();
    expect(() => createReceiver({ secret: SECRET, dedupe: hour, toleranceSeconds: 3600 })).toThrow(/dedupe\.ttlMs/);
  });
});
