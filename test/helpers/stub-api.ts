import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fixture } from './deliveries';

export type StubMode = 'ok' | '503' | '501' | '404' | 'timeout' | 'html';

/**
 * A real HTTP server on 127.0.0.1 that answers like the Video API: GET /v1/videos/{id} from the
 * objects it is given, or in a failure mode. Records every request.
 */
export interface StubApi {
  readonly baseUrl: string;
  readonly requests: { method: string; url: string; authorization: string | undefined }[];
  mode: StubMode;
  set(id: string, object: Record<string, unknown>): void;
  close(): Promise<void>;
}

export async function startStubApi(apiKey = 'sk_test'): Promise<StubApi> {
  const objects = new Map<string, Record<string, unknown>>();
  const requests: StubApi['requests'] = [];
  const errors501 = fixture<Record<string, unknown>[]>('errors.501.json');
  const state = { mode: 'ok' as StubMode };
  const json = (res: import('node:http').ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };
  const server: Server = createServer((req: IncomingMessage, res) => {
    requests.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization });
    req.resume();
    if (req.headers.authorization !== `Bearer ${apiKey}`)
      return json(res, 401, { error: 'unauthorized', message: 'bad key' });
    if (state.mode === 'timeout') return; // never answers
    if (state.mode === '503')
      return json(res, 503, { error: 'upstream_error', reason: 'video_status_fetch_failed', message: 'try later' });
    if (state.mode === '501') return json(res, 501, errors501[0]);
    if (state.mode === 'html') return res.writeHead(200, { 'content-type': 'text/html' }).end('<html>oops</html>');
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const match = /^\/v1\/(videos|batches)\/([^/]+)$/.exec(url.pathname);
    const object = match ? objects.get(decodeURIComponent(match[2]!)) : undefined;
    if (url.pathname === '/v1/videos' && req.method === 'GET') {
      const limit = Number(url.searchParams.get('limit') ?? '0');
      const data = [...objects.values()].filter((o) => o.object === 'video').slice(0, limit);
      return json(res, 200, {
        object: 'list',
        data,
        first_id: data[0]?.id ?? null,
        last_id: data.at(-1)?.id ?? null,
        has_more: false,
      });
    }
    if (state.mode === '404' || !object)
      return json(res, 404, { error: 'not_found', reason: 'video_not_found_or_not_owned', message: 'Video not found' });
    return json(res, 200, object);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    get mode() {
      return state.mode;
    },
    set mode(mode: StubMode) {
      state.mode = mode;
    },
    set: (id, object) => objects.set(id, object),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
