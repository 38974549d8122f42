import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One answer of a {@link ScriptedApi}. */
export interface ScriptedAnswer {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/**
 * A real HTTP server on 127.0.0.1 whose answers a test scripts per request: `answer(path)` decides
 * status, headers and body (JSON unless a string). Records every requested path.
 */
export interface ScriptedApi {
  readonly baseUrl: string;
  readonly paths: string[];
  answer: (path: string) => ScriptedAnswer;
  close(): Promise<void>;
}

export async function startScriptedApi(): Promise<ScriptedApi> {
  const paths: string[] = [];
  const api = { answer: (_path: string): ScriptedAnswer => ({ status: 404, body: { error: 'not_found' } }) };
  const server: Server = createServer((req, res) => {
    req.resume();
    const path = req.url ?? '/';
    paths.push(path);
    const { status, headers = {}, body } = api.answer(path);
    const text = typeof body === 'string' ? body : JSON.stringify(body ?? {});
    res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(text);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    paths,
    get answer() {
      return api.answer;
    },
    set answer(answer) {
      api.answer = answer;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
