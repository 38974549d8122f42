import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { NextRequest } from 'next/server';
import { createPagesApiHandler, createRouteHandler } from '@ai-stats-webhooks/next';
import { SECRET, fixture, sign } from '../../../test/helpers/deliveries';

describe('createRouteHandler (App Router)', () => {
  it('handles a NextRequest as Next passes it, with a context argument', async () => {
    const POST = createRouteHandler({ secret: SECRET, logger: {} });
    const seen: string[] = [];
    POST.receiver.on('video.completed', ({ job }) => void seen.push(job.id));
    const d = sign(fixture('video.completed.json'));
    const request = new NextRequest('http://127.0.0.1:3000/api/webhooks/ai-stats', {
      method: 'POST',
      headers: d.headers,
      body: d.body,
    });
    const res = await POST(request, { params: Promise.resolve({}) });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, status: 'completed' });
    expect(seen).toEqual(['G-01KA7Q3M9V2X5C8B4N6D1F0H7J']);
    const tampered = new NextRequest('http://127.0.0.1:3000/x', {
      method: 'POST',
      headers: d.headers,
      body: d.body.replace('8', '9'),
    });
    expect((await POST(tampered)).status).toBe(401);
  });
});

describe('createPagesApiHandler (Pages Router)', () => {
  let server: Server;
  let url: string;
  let parseFirst = false;
  beforeAll(async () => {
    const handler = createPagesApiHandler({ secret: SECRET, logger: {} });
    server = createServer(async (req, res) => {
      // What Next's default body parser does when `config.api.bodyParser` is not false.
      if (parseFirst) {
        let text = '';
        for await (const chunk of req) text += chunk;
        Object.assign(req, { body: JSON.parse(text) });
      }
      await handler(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/webhooks/ai-stats`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('reads the raw stream when the body parser is off', async () => {
    parseFirst = false;
    const d = sign(fixture('video.progress.50.json'));
    const res = await fetch(url, { method: 'POST', headers: d.headers, body: d.body });
    expect(res.status).toBe(200);
  });

  it('answers 500 naming bodyParser: false when Next parsed the body first', async () => {
    parseFirst = true;
    const d = sign(fixture('video.failed.attempt2.json'));
    const res = await fetch(url, { method: 'POST', headers: d.headers, body: d.body });
    expect(res.status).toBe(500);
    expect(await res.json()).toMatchObject({
      error: 'body_already_parsed',
      message: expect.stringMatching(/api: \{ bodyParser: false \}/),
    });
  });
});
