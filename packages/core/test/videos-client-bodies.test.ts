import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createVideosClient } from '@ai-stats-webhooks/core';

// A real server on 127.0.0.1 whose route streams what each test scripts.
let server: Server;
let baseUrl: string;
let route: (req: IncomingMessage, res: ServerResponse) => void;

beforeAll(async () => {
  server = createServer((req, res) => route(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const client = () => createVideosClient({ baseUrl, apiKey: 'sk_test', timeoutMs: 200 });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
// Waits until `done()` holds, for 2 s at most (the server sees the client go a moment later).
async function until(done: () => boolean): Promise<void> {
  for (let waited = 0; !done() && waited < 2_000; waited += 20) await sleep(20);
}

// Writes `count` chunks of `size` bytes, `gapMs` apart, then ends (stops early when the client goes).
function trickle(res: ServerResponse, count: number, size: number, gapMs: number): void {
  res.writeHead(200, { 'content-type': 'video/mp4' });
  let sent = 0;
  const timer = setInterval(() => {
    if (res.destroyed || sent === count) {
      clearInterval(timer);
      res.end();
      return;
    }
    res.write(Buffer.alloc(size, 1));
    sent++;
  }, gapMs);
}

describe('getContent', () => {
  it('streams a download that lasts longer than timeoutMs (the timeout covers the headers only)', async () => {
    route = (_req, res) => trickle(res, 10, 1024, 60); // about 600 ms, timeoutMs 200
    const response = await client().getContent('G-LONGDOWNLOAD');
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect(bytes.byteLength).toBe(10 * 1024);
  });

  it('is api_timeout when the headers do not come within timeoutMs', async () => {
    route = () => undefined; // never answers
    await expect(client().getContent('G-NOHEADERS')).rejects.toMatchObject({ code: 'api_timeout', status: 503 });
  });

  it("rejects with the caller's reason when the caller's signal aborts", async () => {
    route = () => undefined;
    const controller = new AbortController();
    const pending = client().getContent('G-CANCELLED', undefined, { signal: controller.signal });
    await sleep(20);
    controller.abort(new Error('user cancelled'));
    await expect(pending).rejects.toThrow('user cancelled');
  });
});

// Streams up to 64 MiB of spaces (then `{}`) with `status`; tells how much was written and whether
// the client went away before the end.
function flood(status: number): { readonly written: () => number; readonly closedEarly: () => boolean } {
  let written = 0;
  let ended = false;
  let closed = false;
  route = (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.on('close', () => (closed = !ended));
    const chunk = Buffer.alloc(64 * 1024, 0x20); // white space: valid JSON around an object
    const pump = () => {
      while (written < 64 * 1024 * 1024 && !res.destroyed) {
        written += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      ended = true;
      res.end('{}');
    };
    pump();
  };
  return { written: () => written, closedEarly: () => closed };
}

describe('answer bodies', () => {
  it('refuses a JSON answer longer than 4 MiB without reading it whole', async () => {
    const answer = flood(200);
    const patient = createVideosClient({ baseUrl, apiKey: 'sk_test', timeoutMs: 10_000 });
    await expect(patient.getVideo('G-HUGEANSWER')).rejects.toMatchObject({
      code: 'api_invalid_response',
      message: expect.stringContaining('at most 4 MiB'),
    });
    await until(answer.closedEarly);
    expect(answer.closedEarly()).toBe(true);
    expect(answer.written()).toBeLessThan(16 * 1024 * 1024);
  });

  it('reads at most 64 KiB of an error body; the status still decides', async () => {
    const answer = flood(502);
    await expect(
      createVideosClient({ baseUrl, apiKey: 'sk_test', timeoutMs: 10_000 }).getVideo('G-HUGEERROR'),
    ).rejects.toMatchObject({ code: 'api_server_error', details: { apiStatus: 502 } });
    await until(answer.closedEarly);
    expect(answer.closedEarly()).toBe(true);
    expect(answer.written()).toBeLessThan(16 * 1024 * 1024);
  });
});
