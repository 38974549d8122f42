import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fixture } from './deliveries';

/**
 * `timeout`: never answers; `stall-body`: 200 and the first bytes of the body, then nothing;
 * `cut-body`: 200 and the first bytes, then the connection is reset.
 */
export type StubMode = 'ok' | '503' | '501' | '404' | 'timeout' | 'stall-body' | 'cut-body' | 'html';

/** What GET /v1/videos/{id}/content serves for one job. */
export interface StubContent {
  bytes: Uint8Array;
  contentType: string;
  /** No Content-Length: the body is sent in chunks (Transfer-Encoding: chunked). */
  chunked: boolean;
}

/**
 * A real HTTP server on 127.0.0.1 that answers like the Video API: GET /v1/videos/{id} from the
 * objects it is given, POST /v1/videos (a new queued video, its body recorded in `created`),
 * GET /v1/videos/{id}/content from `setContent`, or a failure mode. Records every request.
 */
export interface StubApi {
  readonly baseUrl: string;
  readonly requests: { method: string; url: string; authorization: string | undefined }[];
  /** The parsed JSON bodies of POST /v1/videos, in order. */
  readonly created: Record<string, unknown>[];
  mode: StubMode;
  set(id: string, object: Record<string, unknown>): void;
  setContent(id: string, bytes: Uint8Array, options?: { contentType?: string; chunked?: boolean }): void;
  close(): Promise<void>;
}

interface StubState {
  apiKey: string;
  mode: StubMode;
  objects: Map<string, Record<string, unknown>>;
  contents: Map<string, StubContent>;
  created: Record<string, unknown>[];
  errors501: Record<string, unknown>[];
}

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
};

function createVideo(state: StubState, res: ServerResponse, raw: Buffer): void {
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
  } catch {
    return json(res, 400, { error: 'validation_error', message: 'Expected a JSON body.' });
  }
  state.created.push(body);
  const id = `G-STUB${String(state.created.length).padStart(20, '0')}`;
  const video = { id, object: 'video', status: 'queued', progress: 0, model: body.model ?? null };
  state.objects.set(id, { ...video, created_at: new Date().toISOString() });
  json(res, 200, state.objects.get(id));
}

function sendContent(res: ServerResponse, content: StubContent | undefined): void {
  if (!content) return json(res, 404, { error: 'not_found', reason: 'video_not_found_or_not_owned' });
  if (!content.chunked) {
    res.writeHead(200, { 'content-type': content.contentType, 'content-length': content.bytes.length });
    return void res.end(content.bytes);
  }
  res.writeHead(200, { 'content-type': content.contentType });
  for (let at = 0; at < content.bytes.length; at += 1024) res.write(content.bytes.subarray(at, at + 1024));
  res.end();
}

function listVideos(state: StubState, res: ServerResponse, url: URL): void {
  const limit = Number(url.searchParams.get('limit') ?? '0');
  const data = [...state.objects.values()].filter((o) => o.object === 'video').slice(0, limit);
  json(res, 200, {
    object: 'list',
    data,
    first_id: data[0]?.id ?? null,
    last_id: data.at(-1)?.id ?? null,
    has_more: false,
  });
}

function answer(state: StubState, req: IncomingMessage, res: ServerResponse, body: Buffer): void {
  if (req.headers.authorization !== `Bearer ${state.apiKey}`)
    return json(res, 401, { error: 'unauthorized', message: 'bad key' });
  if (state.mode === 'timeout') return; // never answers
  if (state.mode === '503')
    return json(res, 503, { error: 'upstream_error', reason: 'video_status_fetch_failed', message: 'try later' });
  if (state.mode === '501') return json(res, 501, state.errors501[0]);
  if (state.mode === 'stall-body' || state.mode === 'cut-body') {
    res.writeHead(200, { 'content-type': 'application/json' }).write('{"id":"G-');
    if (state.mode === 'cut-body') setTimeout(() => res.socket?.destroy(), 20);
    return;
  }
  if (state.mode === 'html') return void res.writeHead(200, { 'content-type': 'text/html' }).end('<html>oops</html>');
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  if (url.pathname === '/v1/videos' && req.method === 'POST') return createVideo(state, res, body);
  if (url.pathname === '/v1/videos' && req.method === 'GET') return listVideos(state, res, url);
  const content = /^\/v1\/videos\/([^/]+)\/content$/.exec(url.pathname);
  if (content) return sendContent(res, state.contents.get(decodeURIComponent(content[1]!)));
  const match = /^\/v1\/(videos|batches)\/([^/]+)$/.exec(url.pathname);
  const object = match ? state.objects.get(decodeURIComponent(match[2]!)) : undefined;
  if (state.mode === '404' || !object)
    return json(res, 404, { error: 'not_found', reason: 'video_not_found_or_not_owned', message: 'Video not found' });
  json(res, 200, object);
}

/** Starts a {@link StubApi} on a free port of 127.0.0.1 that accepts `Bearer <apiKey>`. */
export async function startStubApi(apiKey = 'sk_test'): Promise<StubApi> {
  const state: StubState = {
    apiKey,
    mode: 'ok',
    objects: new Map(),
    contents: new Map(),
    created: [],
    errors501: fixture<Record<string, unknown>[]>('errors.501.json'),
  };
  const requests: StubApi['requests'] = [];
  const server: Server = createServer((req, res) => {
    requests.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization });
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => answer(state, req, res, Buffer.concat(chunks)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    created: state.created,
    get mode() {
      return state.mode;
    },
    set mode(mode: StubMode) {
      state.mode = mode;
    },
    set: (id, object) => void state.objects.set(id, object),
    setContent: (id, bytes, options = {}) =>
      void state.contents.set(id, {
        bytes,
        contentType: options.contentType ?? 'video/mp4',
        chunked: options.chunked ?? false,
      }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
