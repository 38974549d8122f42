import { Hono } from 'hono';
import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { createFetchHandler } from '@ai-stats-webhooks/fetch';
import { SECRET, event, fixture, sign } from '../../../test/helpers/deliveries';

const toRequest = (d: ReturnType<typeof sign>, init: RequestInit = {}) =>
  new Request('http://127.0.0.1/webhooks/ai-stats', { method: 'POST', headers: d.headers, body: d.body, ...init });

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
    let pulled = 0;
    let cancelled = false;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        if (pulled > 100) return controller.close();
        controller.enqueue(new Uint8Array(600));
      },
      cancel() {
        cancelled = true;
      },
    });
    const d = sign(fixture('video.completed.json'));
    const res = await handler(
      new Request('http://127.0.0.1/', {
        method: 'POST',
        headers: d.headers,
        body: stream,
        duplex: 'half',
      } as RequestInit),
    );
    expect(res.status).toBe(413);
    expect(pulled).toBeLessThan(5);
    expect(cancelled).toBe(true);
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
  let url: string;
  const seen: string[] = [];
  beforeAll(async () => {
    const handler = createFetchHandler({ secret: SECRET, logger: {} });
    handler.receiver.onAny(({ event }) => void seen.push(event.id));
    const app = new Hono();
    app.post('/webhooks/ai-stats', (c) => handler(c.req.raw));
    await new Promise<void>((resolve) => {
      server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve());
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/ai-stats`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('verifies over real HTTP, both header generations, and rejects a tampered body', async () => {
    for (const prefix of ['phaseo', 'ai-stats'] as const) {
      const d = sign(event('video.progress.50.json', { jobId: `G-HONO-${prefix}` }), { prefix });
      const res = await fetch(url, { method: 'POST', headers: d.headers, body: d.body });
      expect([res.status, await res.json()]).toEqual([200, expect.objectContaining({ ok: true })]);
    }
    const d = sign(fixture('video.completed.json'));
    const tampered = await fetch(url, { method: 'POST', headers: d.headers, body: d.body.replace('720p', '1080p') });
    expect(tampered.status).toBe(401);
    expect(seen).toHaveLength(2);
  });
});
