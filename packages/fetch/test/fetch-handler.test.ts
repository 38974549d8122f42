import { Hono, type Context } from 'hono';
import { request } from 'node:http';
import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { bodyReader, createFetchHandler } from '@ai-stats-webhooks/fetch';
import { SECRET, event, fixture, sign } from '../../../test/helpers/deliveries';

const toRequest = (d: ReturnType<typeof sign>, init: RequestInit = {}) =>
  new Request('http://127.0.0.1/webhooks/ai-stats', { method: 'POST', headers: d.headers, body: d.body, ...init });

/** A body of `chunks` chunks of `size` bytes that counts its pulls and knows whether it was cancelled. */
function countingStream(chunks: number, size: number) {
  let pulled = 0;
  let cancelled = false;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      pulled++;
      if (pulled > chunks) return controller.close();
      controller.enqueue(new Uint8Array(size).fill(0x20));
    },
    cancel() {
      cancelled = true;
    },
  });
  return { stream, pulled: () => pulled, cancelled: () => cancelled };
}

const streamedRequest = (headers: Record<string, string>, body: ReadableStream<Uint8Array>) =>
  new Request('http://127.0.0.1/', { method: 'POST', headers, body, duplex: 'half' } as RequestInit);

describe('createFetchHandler with real Request objects', () => {
  it('answers 200, then 200 duplicate, running the handler once', async () => {
    const handler = createFetchHandler({ secret: SECRET, logger: {} });
    const seen: string[] = [];
    handler.receiver.on('video.completed', ({ event }) => void seen.push(event.id));
    const first = await handler(toRequest(sign(fixture('video.completed.json'))));
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toMatch(/application\/json/);
    expect(await first.json()).toMatchObject({ ok: true });
    const again = await handler(toRequest(sign(event('video.completed.json', { attempt: 2 }))));
    expect(await again.json()).toMatchObject({ duplicate: true });
    expect(seen).toHaveLength(1);
  });

  it('stops reading a streamed body past the limit (413) and cancels the stream', async () => {
    const handler = createFetchHandler({ secret: SECRET, logger: {}, maxBodyBytes: 1000 });
    const body = countingStream(100, 600);
    const res = await handler(streamedRequest(sign(fixture('video.completed.json')).headers, body.stream));
    expect(res.status).toBe(413);
    expect(body.pulled()).toBeLessThan(5);
    expect(body.cancelled()).toBe(true);
  });

  it('answers 408 when a streamed body stalls past bodyTimeoutMs, and cancels the stream', async () => {
    const handler = createFetchHandler({ secret: SECRET, logger: {}, bodyTimeoutMs: 100 });
    let cancelled = false;
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"id":'));
      },
      cancel() {
        cancelled = true;
      },
    });
    const res = await handler(streamedRequest(sign(fixture('video.completed.json')).headers, stream));
    expect(res.status).toBe(408);
    expect(await res.json()).toMatchObject({ error: 'body_timeout' });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(cancelled).toBe(true);
  });

  it('stops reading a body at its declared Content-Length: a stream that goes on is cut (413) and cancelled', async () => {
    const handler = createFetchHandler({ secret: SECRET, logger: {} });
    const body = countingStream(10_000, 64); // "endless" for the test, and bounded
    const { headers } = sign(fixture('video.completed.json'));
    const res = await handler(streamedRequest({ ...headers, 'content-length': '100' }, body.stream));
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: 'payload_too_large' });
    expect(body.pulled()).toBeLessThan(10);
    expect(body.cancelled()).toBe(true);
  });

  it('answers 413 from Content-Length alone', async () => {
    const handler = createFetchHandler({ secret: SECRET, logger: {}, maxBodyBytes: 10 });
    const d = sign(fixture('video.completed.json'));
    expect((await handler(toRequest(d))).status).toBe(413);
  });

  it('explains a consumed body', async () => {
    const handler = createFetchHandler({ secret: SECRET, logger: {} });
    const request = toRequest(sign(fixture('video.completed.json')));
    await request.text();
    const res = await handler(request);
    expect(res.status).toBe(500);
    expect(await res.json()).toMatchObject({ error: 'body_already_parsed' });
  });

  it('answers 405 with Allow for GET', async () => {
    const handler = createFetchHandler({ secret: SECRET, logger: {} });
    const res = await handler(new Request('http://127.0.0.1/', { method: 'GET' }));
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
  });
});

describe('through Hono on @hono/node-server', () => {
  let server: ServerType;
  let base: string;
  const seen: string[] = [];
  beforeAll(async () => {
    const handler = createFetchHandler({ secret: SECRET, logger: {} });
    handler.receiver.onAny(({ event }) => void seen.push(event.id));
    const small = createFetchHandler({ secret: SECRET, logger: {}, maxBodyBytes: 1000 });
    const app = new Hono();
    // Reports whether the Request's own body was read, to tell the two paths apart.
    const withBodyUsed = async (c: Context, res: Response) =>
      new Response(await res.text(), { status: res.status, headers: { 'x-body-used': String(c.req.raw.bodyUsed) } });
    app.post('/portable', async (c) => withBodyUsed(c, await handler(c.req.raw)));
    app.post('/node', async (c) => withBodyUsed(c, await handler(c.req.raw, c.env)));
    app.post('/node-small', (c) => small(c.req.raw, c.env));
    app.post('/read-first', async (c) => {
      await c.req.text();
      return handler(c.req.raw, c.env);
    });
    await new Promise<void>((resolve) => {
      server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve());
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it.each([
    ['portable', 'true'],
    ['node', 'false'],
  ])(
    '/%s verifies over real HTTP, both header generations, rejects a tampered body (body used: %s)',
    async (route, used) => {
      const before = seen.length;
      for (const prefix of ['phaseo', 'ai-stats'] as const) {
        const d = sign(event('video.progress.50.json', { jobId: `G-HONO-${route}-${prefix}` }), { prefix });
        const res = await fetch(`${base}/${route}`, { method: 'POST', headers: d.headers, body: d.body });
        expect([res.status, await res.json(), res.headers.get('x-body-used')]).toEqual([
          200,
          expect.objectContaining({ ok: true }),
          used,
        ]);
        const again = await fetch(`${base}/${route}`, { method: 'POST', headers: d.headers, body: d.body });
        expect(await again.json()).toMatchObject({ duplicate: true });
      }
      const d = sign(fixture('video.completed.json'));
      const tampered = await fetch(`${base}/${route}`, {
        method: 'POST',
        headers: d.headers,
        body: d.body.replace('720p', '1080p'),
      });
      expect(tampered.status).toBe(401);
      expect(seen.length - before).toBe(2);
    },
  );

  it('Node path: 413 from Content-Length, and from a chunked body past the limit', async () => {
    const d = sign(fixture('video.completed.json'));
    const declared = await fetch(`${base}/node-small`, { method: 'POST', headers: d.headers, body: d.body });
    expect([declared.status, (await declared.json()).error]).toEqual([413, 'payload_too_large']);
    const chunked = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(`${base}/node-small`, { method: 'POST', headers: d.headers }, (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode!, body }));
      });
      req.on('error', reject);
      for (let i = 0; i < 3; i++) req.write('x'.repeat(600));
      req.end();
    });
    expect(chunked.status).toBe(413);
    expect(JSON.parse(chunked.body)).toMatchObject({ error: 'payload_too_large' });
  });

  it('Node path: a body another handler read first is a clear 500, never a hang', async () => {
    const d = sign(fixture('video.completed.json'));
    const res = await fetch(`${base}/read-first`, { method: 'POST', headers: d.headers, body: d.body });
    expect(res.status).toBe(500);
    expect(await res.json()).toMatchObject({ error: 'body_already_parsed' });
  });

  it('serve({ fetch: handler }) hands over the Node bindings: the Request body is never read', async () => {
    const handler = createFetchHandler({ secret: SECRET, logger: {} });
    let bodyUsed: boolean | undefined;
    const fetchCallback = async (req: Request, env: unknown) => {
      const res = await handler(req, env);
      bodyUsed = req.bodyUsed;
      return res;
    };
    const direct = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: fetchCallback, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    });
    try {
      const d = sign(event('video.progress.50.json', { jobId: 'G-HONO-direct' }));
      const url = `http://127.0.0.1:${(direct.address() as AddressInfo).port}/`;
      const res = await fetch(url, { method: 'POST', headers: d.headers, body: d.body });
      expect([res.status, await res.json(), bodyUsed]).toEqual([200, expect.objectContaining({ ok: true }), false]);
    } finally {
      await new Promise<void>((resolve) => direct.close(() => resolve()));
    }
  });
});

describe('bodyReader', () => {
  it('takes a signal (and so gets an AbortController) only for a body without Content-Length', async () => {
    const declared = new Request('http://127.0.0.1/', {
      method: 'POST',
      headers: { 'content-length': '2' },
      body: '{}',
    });
    expect(bodyReader(declared).length).toBe(1);
    expect(new TextDecoder().decode((await bodyReader(declared)(10)) as Uint8Array)).toBe('{}');
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{}'));
        controller.close();
      },
    });
    const chunked = new Request('http://127.0.0.1/', { method: 'POST', body: stream, duplex: 'half' } as RequestInit);
    expect(bodyReader(chunked).length).toBe(2);
    expect(new TextDecoder().decode((await bodyReader(chunked)(10)) as Uint8Array)).toBe('{}');
  });
});
