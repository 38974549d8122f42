import type { DeliveryReport } from '@ai-stats-webhooks/core';
import { createDeliveryStats, DELIVERY_STATS_DEFAULTS } from '../examples/express/src/delivery-stats';
import { createMemoryEventLog, EVENT_LOG_DEFAULTS, type EventRecord } from '../examples/express/src/event-log';
import { createEventLog as createFetchEventLog } from '../examples/fetch/src/event-log';
import { createEventLog as createNextEventLog } from '../examples/nextjs/lib/event-log';
import { SECRET, event, fixture, sign, type WebhookFixture } from './helpers/deliveries';
import { freePort, listeningAddresses, runExample, startExample, type RunningApp } from './helpers/example-app';
import { startStubApi, type StubApi } from './helpers/stub-api';

// Every example app as a black box against the HTTP contract: a real process, real HTTP,
// deliveries signed from the spec's fixtures, and the Video API played by a local stub server.

const EXAMPLES = ['express', 'fetch', 'nextjs'];
const OLD_SECRET = 'whsec_previous_secret';
const ADMIN_TOKEN = 'adm_e2e_7f3c2a9b41d8e6057c';
const CHALLENGE = 'Basic realm="ai-stats-webhooks", charset="UTF-8"';
const now = () => Math.floor(Date.now() / 1000);
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const postJson = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

describe.each(EXAMPLES)('examples/%s against the contract', (name) => {
  let app: RunningApp;
  let api: StubApi;
  let webhookUrl: string;

  beforeAll(async () => {
    api = await startStubApi('sk_e2e');
    const port = await freePort();
    webhookUrl = `http://127.0.0.1:${port}/webhooks/ai-stats`;
    app = await startExample(
      name,
      {
        AI_STATS_WEBHOOK_SECRET: `${SECRET}, ${OLD_SECRET}`,
        AI_STATS_API_KEY: 'sk_e2e',
        AI_STATS_BASE_URL: api.baseUrl,
        POLL_INTERVAL_MS: '0',
        PUBLIC_WEBHOOK_URL: webhookUrl,
        CONTENT_MAX_BYTES: '4096',
      },
      { port },
    );
  }, 90_000);
  afterAll(async () => {
    await app?.stop();
    await api?.close();
  });
  beforeEach(() => {
    api.mode = 'ok';
  });

  const post = (d: { headers: Record<string, string>; body: string }, headers: Record<string, string> = {}) =>
    fetch(`${app.url}/webhooks/ai-stats`, { method: 'POST', headers: { ...d.headers, ...headers }, body: d.body });
  const deliver = (f: WebhookFixture, options: Parameters<typeof sign>[1] = {}) => post(sign(f, options));
  const getJson = async (path: string) => (await fetch(`${app.url}${path}`)).json() as Promise<any>;
  const eventsFor = async (id: string) =>
    ((await getJson('/api/events')).data as any[]).filter((e) => e.event_id === id);
  let n = 0;
  const fresh = (name: string, changes: Parameters<typeof event>[1] = {}) =>
    event(name, { jobId: `G-E2E${++n}`, ...changes });

  it('serves /healthz and 404s an unknown job', async () => {
    expect(await getJson('/healthz')).toEqual({ ok: true });
    const res = await fetch(`${app.url}/api/jobs/G-nope`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: 'not_found' });
  });

  it('processes a valid delivery, stores the job and lists the event once', async () => {
    const f = fresh('video.completed.json');
    const res = await deliver(f);
    expect(res.status).toBe(200);
    const job = await getJson(`/api/jobs/${f.body.data.id}`);
    expect(job).toMatchObject({
      id: f.body.data.id,
      kind: 'video',
      status: 'completed',
      progress: 100,
      source: 'webhook',
    });
    expect(Date.parse(job.updated_at)).not.toBeNaN();
    expect(await eventsFor(f.body.id)).toEqual([
      expect.objectContaining({
        event_id: f.body.id,
        type: 'video.completed',
        job_id: f.body.data.id,
        attempt: 1,
        received_at: expect.any(String),
      }),
    ]);
    const list = (await getJson('/api/jobs')).data as any[];
    expect(list[0].id).toBe(f.body.data.id);
  });

  it.each([
    ['tampered', 401, (d: ReturnType<typeof sign>) => ({ ...d, body: d.body.replace('"720p"', '"1080p"') })],
    ['stale', 401, () => sign(fresh('video.completed.json'), { timestamp: now() - 400 })],
    ['future', 401, () => sign(fresh('video.completed.json'), { timestamp: now() + 400 })],
    ['unknown secret', 401, () => sign(fresh('video.completed.json'), { secret: 'whsec_nobody' })],
    ['malformed JSON', 400, () => sign(fresh('video.completed.json'), { rawBody: '{"id":' })],
    ['legacy G1 body', 400, () => sign(fixture('legacy.g1.video.completed.json'), { prefix: 'ai-stats' })],
  ])('rejects a %s delivery with %i and lists nothing', async (_name, status, make) => {
    const d = make(sign(fresh('video.completed.json')));
    const before = (await getJson('/api/events')).data.length;
    const res = await post(d);
    expect(res.status).toBe(status);
    expect(await res.json()).toMatchObject({ error: expect.any(String), message: expect.any(String) });
    expect((await getJson('/api/events')).data.length).toBe(before);
  });

  it('answers 415 to a non-JSON content type and 413 past 1 MiB', async () => {
    const d = sign(fresh('video.completed.json'));
    expect((await post(d, { 'content-type': 'text/plain' })).status).toBe(415);
    const big = sign(fresh('video.completed.json'), { rawBody: JSON.stringify({ pad: 'x'.repeat(1024 * 1024 + 10) }) });
    expect((await post(big)).status).toBe(413);
  });

  it('accepts the rotated (second) secret and both header generations', async () => {
    expect((await deliver(fresh('video.completed.json'), { secret: OLD_SECRET })).status).toBe(200);
    expect((await deliver(fresh('video.completed.json'), { prefix: 'ai-stats' })).status).toBe(200);
  });

  it('answers a sequential duplicate 200 and lists it once', async () => {
    const f = fresh('video.progress.50.json');
    expect((await deliver(f)).status).toBe(200);
    const again = await deliver(event('video.progress.50.json', { jobId: f.body.data.id, attempt: 2 }));
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ duplicate: true });
    expect(await eventsFor(f.body.id)).toHaveLength(1);
  });

  it('answers concurrent twins with 200 or 409 only, and processes the event once', async () => {
    const f = fresh('video.completed.json');
    const d = sign(f);
    const statuses = await Promise.all(Array.from({ length: 25 }, () => post(d).then((r) => r.status)));
    expect(statuses.every((s) => s === 200 || s === 409)).toBe(true);
    expect(statuses).toContain(200);
    expect(await eventsFor(f.body.id)).toHaveLength(1);
  });

  it('never moves a job backwards on out-of-order deliveries', async () => {
    const id = `G-E2E${++n}`;
    api.set(id, { ...fixture<Record<string, unknown>>('video.get.completed.json'), id });
    expect((await deliver(event('video.completed.json', { jobId: id }))).status).toBe(200);
    expect((await deliver(event('video.status_changed.json', { jobId: id }))).status).toBe(200);
    expect((await deliver(event('video.progress.50.json', { jobId: id }))).status).toBe(200);
    expect(await getJson(`/api/jobs/${id}`)).toMatchObject({ status: 'completed', progress: 100 });
  });

  it('settles a terminal conflict with the API (200): the API is the authority', async () => {
    const id = `G-E2E${++n}`;
    api.set(id, {
      ...fixture<Record<string, unknown>>('video.get.completed.json'),
      id,
      status: 'failed',
      error: 'late failure',
    });
    await deliver(event('video.completed.json', { jobId: id }));
    const res = await deliver(event('video.failed.attempt2.json', { jobId: id }));
    expect(res.status).toBe(200);
    expect(await getJson(`/api/jobs/${id}`)).toMatchObject({ status: 'failed', source: 'reconcile' });
    if (name === 'express') {
      const [record] = await eventsFor(event('video.failed.attempt2.json', { jobId: id }).body.id);
      expect(record).toMatchObject({ reconciled: true, conflict: 'terminal_mismatch' });
    }
  });

  it('answers 503 while the API fails (the sender retries), then processes the retry once', async () => {
    const id = `G-E2E${++n}`;
    api.set(id, { ...fixture<Record<string, unknown>>('video.get.completed.json'), id });
    await deliver(event('video.completed.json', { jobId: id }));
    api.mode = '503';
    const failed = event('video.failed.attempt2.json', { jobId: id });
    expect((await deliver(failed)).status).toBe(503);
    expect(await eventsFor(failed.body.id)).toHaveLength(0);
    api.mode = 'ok';
    expect((await deliver(event('video.failed.attempt2.json', { jobId: id, attempt: 3 }))).status).toBe(200);
    expect(await eventsFor(failed.body.id)).toHaveLength(1);
    expect(await getJson(`/api/jobs/${id}`)).toMatchObject({ status: 'completed' });
  });

  it('lets the monotonic rules decide when the API answers 501, with no retry loop', async () => {
    const id = `G-E2E${++n}`;
    await deliver(event('video.completed.json', { jobId: id }));
    api.mode = '501';
    expect((await deliver(event('video.failed.attempt2.json', { jobId: id }))).status).toBe(200);
    expect(await getJson(`/api/jobs/${id}`)).toMatchObject({ status: 'completed' });
  });

  it('answers GET /webhooks/ai-stats with 405 and Allow: POST', async () => {
    const res = await fetch(`${app.url}/webhooks/ai-stats`);
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
    expect(await res.json()).toMatchObject({ error: expect.any(String), message: expect.any(String) });
  });

  it('listens on 127.0.0.1 only when HOST is unset', () => {
    expect(listeningAddresses(app.port)).toEqual(['127.0.0.1']);
  });

  it('POST /api/jobs forwards only the allowed fields, with the webhook from configuration', async () => {
    const before = api.created.length;
    const fields = { model: 'google/veo-3.1-lite', prompt: 'A paper boat', seconds: 8, size: '1280x720', audio: true };
    const res = await postJson(`${app.url}/api/jobs`, fields);
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({
      id: expect.stringMatching(/^G-STUB/),
      status: 'queued',
      source: 'create',
    });
    expect(api.created.slice(before)).toEqual([
      {
        ...fields,
        webhook: {
          url: webhookUrl,
          secret: SECRET,
          events: expect.arrayContaining(['video.progress', 'video.completed', 'video.failed']),
        },
      },
    ]);
  });

  it.each([
    ['webhook_url', { webhook_url: 'https://attacker.example/hook' }, /"webhook_url"/],
    [
      'webhook',
      { webhook: { url: 'https://attacker.example/hook', secret: 'whsec_x' } },
      /"webhook".*PUBLIC_WEBHOOK_URL/,
    ],
    ['an unknown field', { callback_url: 'https://attacker.example/' }, /"callback_url"/],
    ['a number as model', { model: 42 }, /Field "model": expected a non-empty string.*found 42/],
    ['a blank prompt', { prompt: '   ' }, /Field "prompt"/],
    ['negative seconds', { seconds: -1 }, /Field "seconds"/],
    ['a string as audio', { audio: 'yes' }, /Field "audio"/],
  ])('POST /api/jobs answers 400 naming %s, and nothing reaches the API', async (_what, change, message) => {
    const before = api.created.length;
    const res = await postJson(`${app.url}/api/jobs`, { model: 'google/veo-3.1-lite', prompt: 'A boat', ...change });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'invalid_request', message: expect.stringMatching(message) });
    expect(api.created.length).toBe(before);
  });

  it('POST /api/jobs answers 400 to a body that is not an object', async () => {
    const res = await postJson(`${app.url}/api/jobs`, ['google/veo-3.1-lite', 'A boat']);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_request', message: expect.stringMatching(/JSON object/) });
  });

  if (name === 'express')
    it("streams a completed job's video, capped by CONTENT_MAX_BYTES, and refuses an id that is not plain", async () => {
      const id = `G-E2E${++n}`;
      expect((await deliver(event('video.completed.json', { jobId: id }))).status).toBe(200);
      const video = Buffer.alloc(3000, 7);
      api.setContent(id, video);
      const ok = await fetch(`${app.url}/api/jobs/${id}/content`);
      expect([ok.status, ok.headers.get('content-type')]).toEqual([200, 'video/mp4']);
      expect(Buffer.from(await ok.arrayBuffer())).toEqual(video);

      api.setContent(id, Buffer.alloc(5000, 1));
      const declared = await fetch(`${app.url}/api/jobs/${id}/content`);
      expect(declared.status).toBe(502);
      expect(await declared.json()).toMatchObject({ error: 'content_too_large', message: /CONTENT_MAX_BYTES/ });

      api.setContent(id, Buffer.alloc(5000, 1), { chunked: true });
      const received = await fetch(`${app.url}/api/jobs/${id}/content`)
        .then(async (res) => (await res.arrayBuffer()).byteLength)
        .catch(() => -1); // the connection is cut once the cap is passed
      expect(received).toBeLessThan(5000);

      const traversal = await fetch(`${app.url}/api/jobs/..%2F..%2Fadmin/content`);
      expect(traversal.status).toBe(400);
      expect(await traversal.json()).toMatchObject({ error: 'invalid_job_id' });
    });
});

describe.each(EXAMPLES)('examples/%s with ADMIN_TOKEN', (name) => {
  let app: RunningApp;
  let api: StubApi;

  beforeAll(async () => {
    api = await startStubApi('sk_e2e');
    app = await startExample(name, {
      AI_STATS_WEBHOOK_SECRET: SECRET,
      AI_STATS_API_KEY: 'sk_e2e',
      AI_STATS_BASE_URL: api.baseUrl,
      POLL_INTERVAL_MS: '0',
      HOST: '127.0.0.1',
      ADMIN_TOKEN,
    });
  }, 90_000);
  afterAll(async () => {
    await app?.stop();
    await api?.close();
  });

  const get = (path: string, authorization?: string) =>
    fetch(`${app.url}${path}`, { headers: authorization ? { authorization } : {} });

  it.each([
    ['no credentials', undefined],
    ['a wrong Bearer token', 'Bearer adm_e2e_wrong'],
    ['a Bearer token one character short', `Bearer ${ADMIN_TOKEN.slice(0, -1)}`],
    ['a wrong Basic password', basic('admin', 'adm_e2e_wrong')],
    ['the token as the Basic user name', basic(ADMIN_TOKEN, '')],
    ['another scheme', `Token ${ADMIN_TOKEN}`],
  ])('answers 401 with a Basic challenge to %s', async (_what, authorization) => {
    for (const path of ['/', '/api/jobs', '/api/events', '/api/jobs/G-nope']) {
      const res = await get(path, authorization);
      expect([path, res.status, res.headers.get('www-authenticate')]).toEqual([path, 401, CHALLENGE]);
      expect(await res.json()).toMatchObject({
        error: 'unauthorized',
        message: expect.stringContaining('ADMIN_TOKEN'),
      });
    }
    const before = api.created.length;
    const create = await postJson(
      `${app.url}/api/jobs`,
      { model: 'm', prompt: 'p' },
      authorization ? { authorization } : {},
    );
    expect(create.status).toBe(401);
    expect(api.created.length).toBe(before);
  });

  it.each([
    ['Bearer', `Bearer ${ADMIN_TOKEN}`],
    ['Basic', basic('admin', ADMIN_TOKEN)],
    ['Basic with an empty user name', basic('', ADMIN_TOKEN)],
  ])('answers the dashboard and /api/* with the token as %s', async (_how, authorization) => {
    // examples/fetch has no dashboard page: its `/` is a guarded 404.
    for (const path of [...(name === 'fetch' ? [] : ['/']), '/api/jobs', '/api/events'])
      expect([path, (await get(path, authorization)).status]).toEqual([path, 200]);
    expect((await get('/api/jobs/G-nope', authorization)).status).toBe(404);
  });

  it('leaves the webhook route and /healthz open', async () => {
    expect((await get('/healthz')).status).toBe(200);
    const d = sign(event('video.completed.json', { jobId: 'G-AUTH-OPEN' }));
    expect(
      (await fetch(`${app.url}/webhooks/ai-stats`, { method: 'POST', headers: d.headers, body: d.body })).status,
    ).toBe(200);
    expect((await get('/webhooks/ai-stats')).status).toBe(405);
    if (name === 'nextjs') expect((await get('/api/webhooks/ai-stats')).status).toBe(405); // the rewrite's target
    expect(await (await get('/api/jobs/G-AUTH-OPEN', `Bearer ${ADMIN_TOKEN}`)).json()).toMatchObject({
      status: 'completed',
    });
  });

  it('creates jobs without a webhook when PUBLIC_WEBHOOK_URL is unset', async () => {
    const res = await postJson(
      `${app.url}/api/jobs`,
      { model: 'google/veo-3.1-lite', prompt: 'A boat' },
      { authorization: `Bearer ${ADMIN_TOKEN}` },
    );
    expect(res.status).toBe(201);
    expect(api.created.at(-1)).toEqual({ model: 'google/veo-3.1-lite', prompt: 'A boat' });
  });

  it('listens on HOST=127.0.0.1 only', () => {
    expect(listeningAddresses(app.port)).toEqual(['127.0.0.1']);
  });
});

describe.each(EXAMPLES)('examples/%s start-up safety', (name) => {
  it.each(['0.0.0.0', '::'])(
    'refuses HOST=%s without ADMIN_TOKEN, naming ADMIN_TOKEN',
    async (host) => {
      const { code, output } = await runExample(name, { AI_STATS_WEBHOOK_SECRET: SECRET, HOST: host });
      expect(code).not.toBeNull(); // it stopped by itself
      expect(code).not.toBe(0);
      expect(output).toMatch(/ADMIN_TOKEN is required/);
    },
    30_000,
  );

  it('starts on HOST=0.0.0.0 with ADMIN_TOKEN, and guards /api/*', async () => {
    const app = await startExample(name, { AI_STATS_WEBHOOK_SECRET: SECRET, HOST: '0.0.0.0', ADMIN_TOKEN });
    try {
      expect(listeningAddresses(app.port)).toEqual(['0.0.0.0']);
      expect((await fetch(`${app.url}/api/jobs`)).status).toBe(401);
      const allowed = await fetch(`${app.url}/api/jobs`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
      expect(allowed.status).toBe(200);
    } finally {
      await app.stop();
    }
  }, 90_000);

  const urls: [string, string][] = [
    ['AI_STATS_BASE_URL', 'https://admin:hunter2@127.0.0.1:9/v1'],
    ['PUBLIC_WEBHOOK_URL', 'ftp://admin:hunter2@127.0.0.1/hook'],
    ...(name === 'express' ? ([['REDIS_URL', 'http://admin:hunter2@127.0.0.1:6379']] as [string, string][]) : []),
  ];
  it.each(urls)(
    'stops on an unusable %s without echoing its password',
    async (variable, value) => {
      const { code, output } = await runExample(name, { AI_STATS_WEBHOOK_SECRET: SECRET, [variable]: value });
      expect(code).not.toBeNull();
      expect(code).not.toBe(0);
      expect(output).toContain(variable);
      expect(output).toContain('***@127.0.0.1');
      expect(output).not.toContain('hunter2');
    },
    30_000,
  );

  if (name === 'express')
    it('stops when REDIS_URL does not answer, without echoing its password', async () => {
      const { code, output } = await runExample(name, {
        AI_STATS_WEBHOOK_SECRET: SECRET,
        REDIS_URL: `redis://admin:hunter2@127.0.0.1:${await freePort()}`,
      });
      expect(code).not.toBeNull();
      expect(code).not.toBe(0);
      expect(output).toMatch(/Could not connect to REDIS_URL \(redis:\/\/\*\*\*@127\.0\.0\.1:\d+\)/);
      expect(output).not.toContain('hunter2');
    }, 30_000);
});

describe('the examples keep bounded memory', () => {
  const report = (jobId: string): DeliveryReport => ({
    status: 200,
    outcome: 'processed',
    code: undefined,
    eventId: `evt_${jobId}`,
    type: 'video.progress',
    jobId,
    attempt: 1,
    reconciled: false,
    conflict: undefined,
    durationMs: 1,
  });
  const record = (i: number): EventRecord => ({
    event_id: `evt_${i}`,
    type: 'video.progress',
    job_id: `G-CAP${i}`,
    attempt: 1,
    received_at: new Date(0).toISOString(),
    job_status: 'processing',
    reconciled: false,
    conflict: null,
  });

  it('express: the event log keeps the last 10,000 events by default, the oldest dropped first', async () => {
    expect(EVENT_LOG_DEFAULTS.maxEntries).toBe(10_000);
    const log = createMemoryEventLog();
    for (let i = 1; i <= 10_003; i++) await log.append(record(i));
    const list = await log.list();
    expect([list.length, list[0]!.event_id, list.at(-1)!.event_id]).toEqual([10_000, 'evt_4', 'evt_10003']);
  });

  it.each([
    ['express', createMemoryEventLog],
    ['fetch', createFetchEventLog],
    ['nextjs', createNextEventLog],
  ] as const)('%s: the event log drops the oldest event past its cap', async (_name, create) => {
    const log = create(3);
    for (let i = 1; i <= 5; i++) await log.append(record(i));
    expect((await log.list()).map((e) => e.event_id)).toEqual(['evt_3', 'evt_4', 'evt_5']);
    expect(() => create(0)).toThrow(/maxEntries/);
  });

  it('express: per-job delivery statistics keep the 10,000 jobs delivered to most recently', () => {
    expect(DELIVERY_STATS_DEFAULTS.maxJobs).toBe(10_000);
    const stats = createDeliveryStats();
    for (let i = 1; i <= 10_005; i++) stats.record(report(`G-CAP${i}`));
    expect(stats.jobCount()).toBe(10_000);
    expect(stats.forJob('G-CAP5').received).toBe(0);
    expect(stats.forJob('G-CAP6').received).toBe(1);
    expect(stats.total().received).toBe(10_005);
  });

  it('express: a job delivered to again moves to the newest end, so the least recently delivered goes first', () => {
    const stats = createDeliveryStats({ maxJobs: 2 });
    stats.record(report('G-A'));
    stats.record(report('G-B'));
    stats.record(report('G-A'));
    stats.record(report('G-C'));
    expect([stats.forJob('G-A').received, stats.forJob('G-B').received, stats.forJob('G-C').received]).toEqual([
      2, 0, 1,
    ]);
    expect(() => createDeliveryStats({ maxJobs: 0 })).toThrow(/maxJobs/);
  });
});
