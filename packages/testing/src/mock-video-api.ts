import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { normalizeStatus } from '@ai-stats-webhooks/core';
import type { MockGateway } from './mock-gateway';
import { json, readJson } from './http-json';
import { batchObject, videoObject } from './mock-job';
import type { GatewayJob } from './mock-job-runner';
import type { MockFaults } from './webhook-sender';

/** What the Video API routes of a mock gateway read. */
export interface MockVideoApiContext {
  readonly apiKey: string;
  /** `http://127.0.0.1:<port>/v1`, known once the server listens. */
  readonly baseUrl: () => string;
  readonly jobs: ReadonlyMap<string, GatewayJob>;
  readonly faults: MockFaults;
  readonly createVideo: MockGateway['createVideo'];
}

interface RouteCall {
  readonly api: MockVideoApiContext;
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly url: URL;
}
type Handler<J> = (call: RouteCall, job: J) => void | Promise<void>;

const VIDEO_BYTES = readFileSync(join(__dirname, '..', 'assets', 'sample.mp4'));
const JOB_PATH = /^\/v1\/(videos|batches)\/([^/]+)(?:\/(content|download_url|cancel))?$/;

/** The 501 body of the global switch (spec §8.6, first body of `errors.501.json`). */
const NOT_IMPLEMENTED_GLOBAL = {
  error: 'not_implemented_yet',
  reason: 'video_api_temporarily_disabled',
  message: 'Video endpoints are temporarily disabled while the public contract is finalized.',
  status_code: 501,
  error_type: 'user',
  error_origin: 'user',
};

/**
 * The request listener of the mock Video API (spec §8): `GET /healthz` without auth, then bearer
 * auth and one small handler per route: create, list, get (video or batch), cancel (501),
 * content and `download_url`. An unexpected error answers 500.
 *
 * @example
 * ```ts
 * const server = createServer(createMockVideoApi({ apiKey, baseUrl: () => baseUrl, jobs, faults, createVideo }));
 * ```
 */
export function createMockVideoApi(api: MockVideoApiContext): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    route({ api, req, res, url: new URL(req.url ?? '/', 'http://127.0.0.1') }).catch((error: unknown) =>
      json(res, 500, { error: 'internal_error', message: String(error) }),
    );
  };
}

async function route(call: RouteCall): Promise<void> {
  const path = call.url.pathname.replace(/\/+$/, '');
  if (path === '/healthz') return json(call.res, 200, { ok: true });
  if (!authorized(call)) return;
  if (path === '/v1/videos') return dispatch(call, { POST: createVideoRoute, GET: listVideosRoute }, undefined);
  const match = JOB_PATH.exec(path);
  const job = match ? call.api.jobs.get(decodePathId(match[2]!)) : undefined;
  if (!match || !job || (match[1] === 'batches') !== (job.kind === 'batch')) {
    return json(call.res, 404, {
      error: 'not_found',
      reason: 'video_not_found_or_not_owned',
      message: 'Video not found.',
    });
  }
  return dispatch(call, JOB_ROUTES[match[3] ?? 'object']!, job);
}

const JOB_ROUTES: Record<string, Record<string, Handler<GatewayJob>>> = {
  object: { GET: getJobRoute },
  cancel: { POST: cancelRoute },
  content: { GET: contentRoute },
  download_url: { POST: downloadUrlRoute },
};

// The handler of the request method, or 405.
function dispatch<J>(call: RouteCall, routes: Record<string, Handler<J>>, job: J): void | Promise<void> {
  const method = call.req.method ?? 'GET';
  const handler = routes[method];
  if (handler) return handler(call, job);
  return json(call.res, 405, { error: 'method_not_allowed', message: `${method} is not allowed here.` });
}

function authorized({ api, req, res }: RouteCall): boolean {
  const auth = req.headers.authorization;
  if (auth === `Bearer ${api.apiKey}`) return true;
  if (!auth)
    json(res, 401, { error: 'unauthorized', reason: 'missing_api_key', message: 'Send Authorization: Bearer <key>.' });
  else json(res, 401, { error: 'unauthorized', reason: 'invalid_api_key', message: 'The API key is not valid.' });
  return false;
}

// The read fault knobs: a 502 upstream error or the global 501. True when one answered.
function answeredWithFault({ api, res }: RouteCall): boolean {
  if (api.faults.apiMode === '5xx') {
    const message = 'Upstream status fetch failed (fault).';
    json(res, 502, { error: 'upstream_error', reason: 'video_status_fetch_failed', message });
    return true;
  }
  if (api.faults.apiMode === '501') json(res, 501, NOT_IMPLEMENTED_GLOBAL);
  return api.faults.apiMode === '501';
}

async function createVideoRoute({ api, req, res }: RouteCall): Promise<void> {
  const body = (await readJson(req)) as
    { model?: unknown; prompt?: unknown; webhook?: { url?: string; events?: string[] } } | undefined;
  if (typeof body?.model !== 'string' || typeof body.prompt !== 'string' || !body.prompt.trim()) {
    const message = 'Expected JSON with string "model" and non-empty "prompt".';
    return json(res, 400, { error: 'validation_error', reason: 'invalid_request', message });
  }
  const job = api.createVideo({ model: body.model, prompt: body.prompt, webhook: body.webhook });
  json(res, 200, videoObject(job, api.baseUrl()));
}

// `limit` is clamped to 0–100 and 0 when omitted (spec §8.3); `status` takes any words.
function listVideosRoute(call: RouteCall): void {
  if (answeredWithFault(call)) return;
  const params = call.url.searchParams;
  const limit = Math.max(0, Math.min(100, Number(params.get('limit') ?? 0) || 0));
  const wanted = params
    .getAll('status')
    .flatMap((s) => s.split(','))
    .map((s) => normalizeStatus(s))
    .filter(Boolean);
  const data = [...call.api.jobs.values()]
    .filter((job) => job.kind === 'video')
    .reverse()
    .map((job) => videoObject(job, call.api.baseUrl()))
    .filter((o) => wanted.length === 0 || wanted.includes(normalizeStatus(o.status as string)))
    .slice(0, limit);
  const page = { first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null, has_more: false };
  json(call.res, 200, { object: 'list', data, ...page });
}

// With the `apiLag` fault a video answers one status behind the webhooks.
function getJobRoute(call: RouteCall, job: GatewayJob): void {
  if (answeredWithFault(call)) return;
  if (job.kind === 'batch') return json(call.res, 200, batchObject(job));
  const status = call.api.faults.apiLag ? (job.history.at(-2) ?? job.status) : job.status;
  json(call.res, 200, videoObject(job, call.api.baseUrl(), status));
}

function cancelRoute({ res }: RouteCall): void {
  const message = 'Video cancellation is not available yet.';
  json(res, 501, { ...NOT_IMPLEMENTED_GLOBAL, reason: 'video_cancellation_disabled', message });
}

function contentRoute({ res }: RouteCall, job: GatewayJob): void {
  if (job.status !== 'completed')
    return json(res, 409, { error: 'not_ready', reason: 'video_not_ready', message: 'The video is not ready.' });
  res.writeHead(200, {
    'content-type': 'video/mp4',
    'content-length': VIDEO_BYTES.length,
    'cache-control': 'private, no-store',
    'x-content-type-options': 'nosniff',
  });
  res.end(VIDEO_BYTES);
}

function downloadUrlRoute({ api, res }: RouteCall, job: GatewayJob): void {
  if (job.status !== 'completed') {
    const message = 'The video is not completed.';
    return json(res, 400, { error: 'validation_error', reason: 'video_download_requires_completed_status', message });
  }
  const expiresAt = Math.floor(Date.now() / 1000) + 900;
  const url = `${api.baseUrl()}/videos/${job.id}/content?download_token=mock&expires_at=${expiresAt}`;
  json(res, 200, { download_url: url, expires_at: expiresAt });
}

function decodePathId(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
