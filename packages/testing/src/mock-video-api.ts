import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { MockGateway } from './mock-gateway';
import { json, readJson } from './http-json';
import { listVideosPage } from './list-videos-page';
import { batchObject, videoObject } from './mock-job';
import { readVideoInput } from './mock-job-input';
import type { MockInternalStatus } from './job-lifecycle';
import type { GatewayJob } from './mock-job-runner';
import { readSignedDownload, signDownloadUrl, type SignedDownloadClaims } from './signed-download';
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
  /** The server's key for signed download URLs (spec §8.4), fresh for each gateway. */
  readonly downloadKey: Buffer;
}
type Handler<J> = (call: RouteCall, job: J) => void | Promise<void>;

const VIDEO_BYTES = readFileSync(join(__dirname, '..', 'assets', 'sample.mp4'));
const JOB_PATH = /^\/v1\/(videos|batches)\/([^/]+)(?:\/(content|download_url|cancel))?$/;
// `GET /v1/video/generations/{id}` is an alias of `GET /v1/videos/{id}` (spec §8.2).
const ALIAS_PATH = /^\/v1\/video\/generations\/([^/]+)$/;

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
  const downloadKey = randomBytes(32);
  return (req, res) => {
    route({ api, req, res, url: new URL(req.url ?? '/', 'http://127.0.0.1'), downloadKey }).catch((error: unknown) =>
      json(res, 500, { error: 'internal_error', message: String(error) }),
    );
  };
}

async function route(call: RouteCall): Promise<void> {
  const path = call.url.pathname.replace(/\/+$/, '').replace(ALIAS_PATH, '/v1/videos/$1');
  if (path === '/healthz') return json(call.res, 200, { ok: true });
  const match = JOB_PATH.exec(path);
  // A signed content link authorises the download alone; its check comes with the job (spec §8.4).
  const signed = match?.[3] === 'content' && call.url.searchParams.has('download_token');
  if (!signed && !authorized(call)) return;
  if (path === '/v1/videos') return dispatch(call, { POST: createVideoRoute, GET: listVideosRoute }, undefined);
  const job = match ? call.api.jobs.get(decodePathId(match[2]!)) : undefined;
  if (!match || !job || (match[1] === 'batches') !== (job.kind === 'batch')) {
    return json(call.res, 404, {
      error: 'not_found',
      reason: 'video_not_found_or_not_owned',
      message: 'Video not found.',
    });
  }
  if (job.kind === 'batch' && match[3]) {
    const message = `Batches have no ${match[3]} route: use GET /v1/batches/{id}.`;
    return json(call.res, 404, { error: 'not_found', reason: 'route_not_found', message });
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

// The body is checked before anything is stored; bad input answers 400 (spec §5, §8).
async function createVideoRoute({ api, req, res }: RouteCall): Promise<void> {
  let input: ReturnType<typeof readVideoInput>;
  try {
    input = readVideoInput(await readJson(req), 'POST /v1/videos', 'body');
  } catch (error) {
    if (!(error instanceof TypeError || error instanceof RangeError)) throw error;
    return json(res, 400, { error: 'validation_error', reason: 'invalid_request', message: error.message });
  }
  const job = api.createVideo({ model: input.model, prompt: input.prompt, webhook: input.webhook });
  json(res, 200, videoObject(job, api.baseUrl()));
}

function listVideosRoute(call: RouteCall): void {
  if (answeredWithFault(call)) return;
  const answer = listVideosPage(call.api.jobs.values(), call.url.searchParams, call.api.baseUrl(), (job) =>
    apiStatus(call.api, job),
  );
  json(call.res, answer.status, answer.body);
}

function getJobRoute(call: RouteCall, job: GatewayJob): void {
  if (answeredWithFault(call)) return;
  if (job.kind === 'batch') return json(call.res, 200, batchObject(job, call.api.baseUrl()));
  json(call.res, 200, videoObject(job, call.api.baseUrl(), apiStatus(call.api, job)));
}

// With the `apiLag` fault a video answers one status behind the webhooks, in the list as alone.
function apiStatus(api: MockVideoApiContext, job: GatewayJob): MockInternalStatus {
  return api.faults.apiLag ? (job.history.at(-2) ?? job.status) : job.status;
}

function cancelRoute({ res }: RouteCall): void {
  const message = 'Video cancellation is not available yet.';
  json(res, 501, { ...NOT_IMPLEMENTED_GLOBAL, reason: 'video_cancellation_disabled', message });
}

// Bearer, or a valid signed link for this video (spec §8.4); then only a completed video has bytes.
function contentRoute(call: RouteCall, job: GatewayJob): void {
  const { res, url } = call;
  let claims: SignedDownloadClaims | undefined;
  if (url.searchParams.has('download_token')) {
    const check = readSignedDownload(call.downloadKey, url.searchParams, Date.now() / 1000);
    if (!check.ok) {
      const message =
        'The signed download URL is not valid or has expired. Fix: ask POST /download_url for a fresh one.';
      return json(res, 401, { error: 'unauthorized', reason: check.reason, message });
    }
    if (check.claims.video_id !== job.id) {
      const message = 'The signed download URL is for another video.';
      return json(res, 400, { error: 'validation_error', reason: 'signed_download_video_mismatch', message });
    }
    claims = check.claims;
  }
  const index = claims?.index ?? Number(url.searchParams.get('index') ?? 0);
  if (notServable(res, job, index)) return;
  res.writeHead(200, {
    'content-type': 'video/mp4',
    'content-length': VIDEO_BYTES.length,
    'cache-control': 'private, no-store',
    'x-content-type-options': 'nosniff',
    ...(claims ? { 'content-disposition': `${claims.disposition}; filename="${job.id}.mp4"` } : {}),
  });
  res.end(VIDEO_BYTES);
}

// The content errors of spec §8.4: a failed generation is an upstream error, not "not ready".
function notServable(res: ServerResponse, job: GatewayJob, index: number): boolean {
  if (job.status === 'failed') {
    const message = job.error?.message ?? 'The video generation failed.';
    json(res, 502, { error: 'upstream_error', reason: 'video_generation_failed', message });
  } else if (job.status === 'cancelled') {
    json(res, 409, { error: 'not_ready', reason: 'video_cancelled', message: 'The video was cancelled.' });
  } else if (job.status !== 'completed') {
    json(res, 409, { error: 'not_ready', reason: 'video_not_ready', message: 'The video is not ready.' });
  } else if (index !== 0) {
    json(res, 404, {
      error: 'not_found',
      reason: 'video_output_not_found',
      message: 'The video has one output, index 0.',
    });
  } else return false;
  return true;
}

// Optional body `{ ttl_seconds?, disposition?, index? }`; the TTL is clamped to 60–3600 s (spec §8.5).
async function downloadUrlRoute({ api, req, res, downloadKey }: RouteCall, job: GatewayJob): Promise<void> {
  if (job.status !== 'completed') {
    const message = 'The video is not completed.';
    return json(res, 400, { error: 'validation_error', reason: 'video_download_requires_completed_status', message });
  }
  const body = ((await readJson(req)) ?? {}) as { ttl_seconds?: unknown; disposition?: unknown; index?: unknown };
  const { ttl_seconds: ttl = 900, disposition = 'attachment', index = 0 } = body;
  if (
    typeof ttl !== 'number' ||
    !Number.isFinite(ttl) ||
    (disposition !== 'attachment' && disposition !== 'inline') ||
    index !== 0
  ) {
    const message =
      'Expected an optional body { ttl_seconds?: number, disposition?: "attachment" | "inline", index?: 0 }.';
    return json(res, 400, { error: 'validation_error', reason: 'invalid_request', message });
  }
  const expiresAt = Math.floor(Date.now() / 1000) + Math.round(Math.max(60, Math.min(3600, ttl)));
  const claims = { workspace_id: 'mock', video_id: job.id, index, disposition } as const;
  json(res, 200, {
    download_url: signDownloadUrl(downloadKey, api.baseUrl(), claims, expiresAt),
    expires_at: expiresAt,
  });
}

function decodePathId(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
