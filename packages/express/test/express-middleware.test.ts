import express5 from 'express';
import express4 from 'express4';
import request from 'supertest';
import { createExpressMiddleware } from '@ai-stats-webhooks/express';
import { SECRET, event, fixture, sign } from '../../../test/helpers/deliveries';

type ExpressFactory = typeof express5;
const versions: [string, ExpressFactory][] = [
  ['Express 5', express5],
  ['Express 4', express4 as unknown as ExpressFactory],
];

describe.each(versions)('%s', (_name, express) => {
  function app(options: { jsonFirst?: boolean; raw?: boolean; maxBodyBytes?: number; bodyTimeoutMs?: number } = {}) {
    const a = express();
    if (options.jsonFirst) a.use(express.json());
    const webhooks = createExpressMiddleware({
      secret: SECRET,
      logger: {},
      ...(options.maxBodyBytes ? { maxBodyBytes: options.maxBodyBytes } : {}),
      ...(options.bodyTimeoutMs ? { bodyTimeoutMs: options.bodyTimeoutMs } : {}),
    });
    const handled: string[] = [];
    webhooks.receiver.onAny(({ event }) => void handled.push(event.id));
    if (options.raw) a.post('/webhooks/ai-stats', express.raw({ type: 'application/json' }), webhooks);
    else a.post('/webhooks/ai-stats', webhooks);
    a.use(express.json());
    a.post('/other', (req, res) => void res.json({ parsed: req.body }));
    return { app: a, handled };
  }

  const post = (a: ReturnType<typeof app>['app'], d = sign(fixture('video.completed.json'))) =>
    request(a).post('/webhooks/ai-stats').set(d.headers).send(d.body);

  it('processes a signed delivery and leaves JSON parsing working for other routes', async () => {
    const { app: a, handled } = app();
    const res = await post(a);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true, status: 'completed' });
    expect(handled).toHaveLength(1);
    const other = await request(a).post('/other').send({ x: 1 });
    expect(other.body).toEqual({ parsed: { x: 1 } });
  });

  it('keeps headers other middleware set before it, and answers JSON that is never cached', async () => {
    const a = express();
    a.use((_req, res, next) => {
      res.setHeader('x-request-id', 'req-1');
      next();
    });
    a.post('/webhooks/ai-stats', createExpressMiddleware({ secret: SECRET, logger: {} }));
    const res = await post(a);
    expect(res.status).toBe(200);
    expect(res.headers).toMatchObject({
      'x-request-id': 'req-1',
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
    });
  });

  it('answers a duplicate 200 and runs the handler once', async () => {
    const { app: a, handled } = app();
    await post(a);
    const again = await post(a, sign(event('video.completed.json', { attempt: 2 })));
    expect(again.body).toMatchObject({ duplicate: true });
    expect(handled).toHaveLength(1);
  });

  it('works behind express.raw() too', async () => {
    const { app: a } = app({ raw: true });
    expect((await post(a)).status).toBe(200);
  });

  it('answers 500 with the mounting fix when express.json() ran first, without hanging', async () => {
    const { app: a, handled } = app({ jsonFirst: true });
    const res = await post(a);
    expect(res.status).toBe(500);
    expect(res.body).toMatchObject({
      error: 'body_already_parsed',
      message: expect.stringMatching(/before express\.json\(\)/),
    });
    expect(handled).toHaveLength(0);
  });

  it('answers 413 past the limit, whether or not Content-Length is sent', async () => {
    const { app: a } = app({ maxBodyBytes: 1024 });
    const d = sign(fixture('video.completed.json'));
    expect((await post(a, d)).status).toBe(413);
    const chunked = await new Promise<number>((resolve, reject) => {
      const server = a.listen(0, '127.0.0.1', () => {
        const { port } = server.address() as import('node:net').AddressInfo;
        const http = require('node:http') as typeof import('node:http');
        const req = http.request(
          { host: '127.0.0.1', port, path: '/webhooks/ai-stats', method: 'POST', headers: d.headers },
          (res) => {
            res.resume();
            server.close();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on('error', (e) => (server.close(), reject(e)));
        req.write(d.body.slice(0, 800));
        req.write(d.body.slice(800)); // transfer-encoding: chunked, no length
        req.end();
      });
    });
    expect(chunked).toBe(413);
  });

  it.each([
    ['bad signature', (d: ReturnType<typeof sign>) => ({ ...d.headers, 'x-phaseo-signature': '0'.repeat(64) }), 401],
    ['not JSON', (d: ReturnType<typeof sign>) => ({ ...d.headers, 'content-type': 'text/plain' }), 415],
  ])('answers %s with %i', async (_n, headers, status) => {
    const { app: a } = app();
    const d = sign(fixture('video.completed.json'));
    const res = await request(a).post('/webhooks/ai-stats').set(headers(d)).send(d.body);
    expect(res.status).toBe(status);
  });

  it('answers 405 to GET when mounted with app.all', async () => {
    const a = express();
    a.all('/hook', createExpressMiddleware({ secret: SECRET, logger: {} }));
    const res = await request(a).get('/hook');
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('POST');
  });

  it('answers 408 and closes the connection when the body trickles past bodyTimeoutMs', async () => {
    const { app: a, handled } = app({ bodyTimeoutMs: 200 });
    const d = sign(fixture('video.completed.json'));
    const server = a.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const { port } = server.address() as import('node:net').AddressInfo;
    const net = require('node:net') as typeof import('node:net');
    const socket = net.connect(port, '127.0.0.1');
    const head = Object.entries({ ...d.headers, 'content-length': String(Buffer.byteLength(d.body)) })
      .map(([name, value]) => `${name}: ${value}`)
      .join('\r\n');
    socket.write(`POST /webhooks/ai-stats HTTP/1.1\r\nhost: 127.0.0.1\r\n${head}\r\n\r\n${d.body.slice(0, 100)}`);
    const answer = await new Promise<string>((resolve) => {
      let text = '';
      socket.on('data', (chunk) => (text += chunk.toString()));
      socket.on('close', () => resolve(text));
    });
    server.close();
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(answer.toLowerCase()).toContain('connection: close');
    expect(answer).toContain('"error":"body_timeout"');
    expect(handled).toHaveLength(0);
  });
});
