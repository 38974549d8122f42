import { createServer, type Server } from 'node:http';
import { createMockGateway, type MockGateway } from '@ai-stats-webhooks/testing';

// Every URL the mock gateway hands out (deliveries and its own API answers) must point at the
// mock: a handler that downloads job.output.contentUrl while testing against the mock must never
// send traffic, let alone the API key, to the production host.

const PORTS = { from: 45600, to: 45699 };

// Binds `listen` to the first free port of the range (bounded: at most the range's size tries).
async function inRange<T>(listen: (port: number) => Promise<T>): Promise<T> {
  let last: unknown;
  for (let port = PORTS.from; port <= PORTS.to; port++) {
    try {
      return await listen(port);
    } catch (error) {
      last = error;
    }
  }
  throw new Error(`no free port in ${PORTS.from}-${PORTS.to}`, { cause: last });
}

interface Capture {
  readonly url: string;
  readonly bodies: { type: string; data: Record<string, unknown> }[];
  readonly close: () => Promise<void>;
}

async function capture(): Promise<Capture> {
  const bodies: Capture['bodies'] = [];
  const server: Server = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString()));
    req.on('end', () => {
      bodies.push(JSON.parse(text) as Capture['bodies'][number]);
      res.end('{}');
    });
  });
  const port = await inRange(
    (p) =>
      new Promise<number>((resolve, reject) => {
        server.once('error', reject);
        server.listen(p, '127.0.0.1', () => resolve(p));
      }),
  );
  return {
    url: `http://127.0.0.1:${port}/webhooks`,
    bodies,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Every string in `value` that looks like a URL, with the path of keys that leads to it. */
function urlsIn(value: unknown, path = ''): [string, string][] {
  if (typeof value === 'string') return /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? [[path, value]] : [];
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, inner]) => urlsIn(inner, `${path}.${key}`));
}

async function getJson(gateway: MockGateway, path: string): Promise<Record<string, unknown>> {
  const res = await fetch(`${gateway.baseUrl}${path}`, {
    headers: { authorization: `Bearer ${gateway.apiKey}` },
    signal: AbortSignal.timeout(5_000),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as Record<string, unknown>;
}

describe('mock gateway URLs', () => {
  let hook: Capture;
  let gateway: MockGateway;

  beforeEach(async () => {
    hook = await capture();
    const lifecycle = { queuedMs: 0, stepMs: 0, readings: [52] };
    const options = { webhookUrl: hook.url, timeScale: 1000, seed: 3, lifecycle };
    gateway = await inRange((port) => createMockGateway({ ...options, port }));
  });

  afterEach(async () => {
    await gateway.close();
    await hook.close();
  });

  it('sends video and batch deliveries whose URLs all point at the mock, never the production host', async () => {
    const video = gateway.createVideo({ model: 'mock/video', prompt: 'a paper boat' });
    const batch = gateway.createBatch();
    await gateway.idle();
    const types = hook.bodies.map((b) => b.type);
    expect(types).toEqual(expect.arrayContaining(['video.progress', 'video.completed', 'batch.completed']));
    const ws = gateway.baseUrl.replace(/^http/, 'ws');
    const urls = hook.bodies.flatMap(({ type, data }) =>
      urlsIn(data)
        .filter(([path]) => path !== '.webhook.url')
        .map(([path, url]) => `${type} data${path} ${url}`),
    );
    expect(urls.length).toBeGreaterThan(hook.bodies.length);
    expect(urls.filter((line) => !line.includes(` ${gateway.baseUrl}/`) && !line.includes(` ${ws}/`))).toEqual([]);
    expect(JSON.stringify(hook.bodies)).not.toContain('api.phaseo.app');
    const done = hook.bodies.find((b) => b.type === 'video.completed')!.data;
    expect(done.polling_url).toBe(`${gateway.baseUrl}/videos/${video.id}`);
    expect(done.content_url).toBe(`${gateway.baseUrl}/videos/${video.id}/content`);
    const batchDone = hook.bodies.find((b) => b.type === 'batch.completed')!.data;
    expect(batchDone.polling_url).toBe(`${gateway.baseUrl}/batches/${batch.id}`);
  });

  it('delivers the same content_url and polling_url as its GET /v1/videos/{id} answers, and that URL serves the video', async () => {
    const video = gateway.createVideo({ model: 'mock/video', prompt: 'a paper boat' });
    await gateway.idle();
    const delivered = hook.bodies.find((b) => b.type === 'video.completed')!.data;
    const answered = await getJson(gateway, `/videos/${video.id}`);
    expect(delivered.content_url).toBe(answered.content_url);
    expect(delivered.polling_url).toBe(answered.polling_url);
    expect(delivered.websocket_url).toBe(answered.websocket_url);
    const content = await fetch(String(delivered.content_url), {
      headers: { authorization: `Bearer ${gateway.apiKey}` },
      signal: AbortSignal.timeout(5_000),
    });
    expect(content.status).toBe(200);
    await content.arrayBuffer();
  });

  it('answers GET /v1/batches/{id} with URLs on the mock', async () => {
    const batch = gateway.createBatch();
    await gateway.idle();
    const answered = await getJson(gateway, `/batches/${batch.id}`);
    expect(answered.polling_url).toBe(`${gateway.baseUrl}/batches/${batch.id}`);
    expect(JSON.stringify(answered)).not.toContain('api.phaseo.app');
  });
});
