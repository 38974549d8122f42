import { describeAdminHostCheck } from './admin-host-cases';
import { event, fixture, SECRET, sign, type WebhookFixture } from './deliveries';
import { freePort, listeningAddresses, type RunningApp } from './example-app';
import { postJson, startTarget, type ExampleTarget } from './example-target';
import { describeJobListLimit } from './job-list-limit-cases';
import { startStubApi, type StubApi } from './stub-api';

const OLD_SECRET = 'whsec_previous_secret';
const now = () => Math.floor(Date.now() / 1000);

/** The Prometheus text format's content type (version 0.0.4), as prom-client sends it. */
const METRICS_TYPE = /^text\/plain; version=0\.0\.4/;
/** The metrics every example's GET /metrics has, with their types (the same on every runtime). */
const METRIC_TYPES = [
  ['ai_stats_webhook_deliveries_total', 'counter'],
  ['ai_stats_webhook_delivery_duration_seconds', 'histogram'],
  ['ai_stats_reconciliations_total', 'counter'],
  ['ai_stats_sender_retries_total', 'counter'],
  ['ai_stats_jobs', 'gauge'],
] as const;
/** The value of one sample line (`name{labels} value`) of a scrape; 0 when it has none yet. */
const sample = (text: string, series: string): number =>
  Number(
    text
      .split('\n')
      .find((line) => line.startsWith(`${series} `))
      ?.slice(series.length + 1) ?? 0,
  );

/** Job paths that name no job: a NUL byte (PostgreSQL refuses it), and percent-encodings that do not decode. */
export const UNMATCHABLE_JOB_PATHS: [string, string][] = [
  ['a NUL byte', '/api/jobs/G-1%00x'],
  ['a percent-encoding that does not decode', '/api/jobs/%ZZ'],
  ['a truncated UTF-8 sequence', '/api/jobs/%E0%A4%A'],
];

/**
 * The webhook route and `/api/*` of one example target against the HTTP contract: deliveries
 * signed from the spec's fixtures, the Video API played by a local stub server.
 *
 * @example
 * ```ts
 * describeContract({ example: 'fetch', script: 'start:deno', label: 'examples/fetch on deno' });
 * ```
 */
export function describeContract(target: ExampleTarget): void {
  describe(`${target.label} against the contract`, () => {
    let app: RunningApp;
    let api: StubApi;
    let webhookUrl: string;

    beforeAll(async () => {
      api = await startStubApi('sk_e2e');
      const port = await freePort();
      webhookUrl = `http://127.0.0.1:${port}/webhooks/ai-stats`;
      app = await startTarget(
        target,
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

    it.each(UNMATCHABLE_JOB_PATHS)(
      'answers GET /api/jobs/:id with %s 404 not_found, as an unknown job',
      async (_what, path) => {
        const res = await fetch(`${app.url}${path}`);
        expect([res.status, await res.json()]).toEqual([404, expect.objectContaining({ error: 'not_found' })]);
      },
    );

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
      const big = sign(fresh('video.completed.json'), {
        rawBody: JSON.stringify({ pad: 'x'.repeat(1024 * 1024 + 10) }),
      });
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
      if (target.example === 'express') {
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

    it('GET /metrics counts every answer of the webhook route, in the Prometheus text format', async () => {
      const scrape = async () => {
        const res = await fetch(`${app.url}/metrics`);
        expect([res.status, res.headers.get('content-type')]).toEqual([200, expect.stringMatching(METRICS_TYPE)]);
        return res.text();
      };
      const processed = 'ai_stats_webhook_deliveries_total{outcome="processed",type="video.completed"}';
      const rejected = 'ai_stats_webhook_deliveries_total{outcome="rejected",type="unknown",code="signature_mismatch"}';
      const before = await scrape();
      const f = fresh('video.completed.json');
      expect((await deliver(f)).status).toBe(200);
      expect((await deliver(f, { secret: 'whsec_nobody' })).status).toBe(401);
      const after = await scrape();
      expect(sample(after, processed) - sample(before, processed)).toBe(1);
      expect(sample(after, rejected) - sample(before, rejected)).toBe(1);
      for (const [name, type] of METRIC_TYPES) expect(after).toContain(`# TYPE ${name} ${type}`);
      expect(sample(after, 'ai_stats_jobs{kind="video",status="completed"}')).toBeGreaterThanOrEqual(1);
    });

    it('listens on 127.0.0.1 only when HOST is unset', () => {
      expect(listeningAddresses(app.port)).toEqual(['127.0.0.1']);
    });

    it('POST /api/jobs forwards only the allowed fields, with the webhook from configuration', async () => {
      const before = api.created.length;
      const fields = {
        model: 'google/veo-3.1-lite',
        prompt: 'A paper boat',
        seconds: 8,
        size: '1280x720',
        audio: true,
      };
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
        /"webhook".*configuration, never from the request/,
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

    it.each([['text/plain'], ['application/x-www-form-urlencoded'], ['multipart/form-data; boundary=x'], [undefined]])(
      'POST /api/jobs answers 415 to a JSON body sent as %s (a request any web page can make), and nothing reaches the API',
      async (type) => {
        const before = api.created.length;
        const res = await fetch(`${app.url}/api/jobs`, {
          method: 'POST',
          headers: type === undefined ? {} : { 'content-type': type },
          body:
            type === undefined
              ? new Blob([JSON.stringify({ model: 'm', prompt: 'p' })])
              : JSON.stringify({ model: 'm', prompt: 'p' }),
        });
        expect(res.status).toBe(415);
        expect(await res.json()).toEqual({
          error: 'unsupported_media_type',
          message: expect.stringMatching(/^Expected Content-Type: application\/json, found /),
        });
        expect(api.created.length).toBe(before);
      },
    );

    it('answers OPTIONS /webhooks/ai-stats with 405 and Allow: POST, and counts it', async () => {
      const rejected = (text: string) =>
        text
          .split('\n')
          .filter((line) => line.startsWith('ai_stats_webhook_deliveries_total{'))
          .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
      const before = rejected(await (await fetch(`${app.url}/metrics`)).text());
      const res = await fetch(`${app.url}/webhooks/ai-stats`, { method: 'OPTIONS' });
      expect([res.status, res.headers.get('allow')]).toEqual([405, 'POST']);
      expect(rejected(await (await fetch(`${app.url}/metrics`)).text()) - before).toBe(1);
    });

    it('POST /api/jobs answers 400 to a body that is not an object', async () => {
      const res = await postJson(`${app.url}/api/jobs`, ['google/veo-3.1-lite', 'A boat']);
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({
        error: 'invalid_request',
        message: expect.stringMatching(/JSON object/),
      });
    });

    if (target.example === 'express')
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

    describeJobListLimit(() => app);
    describeAdminHostCheck(target, () => ({ app, api }));
  });
}
