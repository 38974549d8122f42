import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { normalizeStatus } from '@ai-stats-webhooks/core';
import { progressBucket } from './create-delivery';
import { batchObject, videoObject, type DeliveryRecord, type MockInternalStatus, type MockJob } from './mock-job';
import { createSeededRandom, ulid } from './seeded-random';
import { sendEvent, type MockFaults, type SenderContext } from './webhook-sender';

/** Defaults of {@link createMockGateway}; durations are gateway milliseconds (divided by `timeScale`). */
export const MOCK_GATEWAY_DEFAULTS = Object.freeze({
  apiKey: 'sk_mock_local',
  queuedMs: 10_000,
  stepMs: 10_000,
  readings: [12, 33, 52, 71, 88] as readonly number[],
  failKeyword: 'fail',
  events: [
    'job.created',
    'job.status_changed',
    'job.progress',
    'job.completed',
    'job.failed',
    'job.cancelled',
    'job.expired',
  ],
  timeoutMs: 10_000,
});

/** Options of {@link createMockGateway}. */
export interface MockGatewayOptions {
  /** Default 0 (a free port). Always bound to 127.0.0.1. */
  readonly port?: number;
  readonly apiKey?: string;
  /** Default: a fresh `whsec_…` secret. */
  readonly secret?: string;
  /** Where deliveries go for jobs created without `webhook.url`. */
  readonly webhookUrl?: string;
  /** Subscriptions of jobs created without `webhook.events`. Default: every phase. */
  readonly events?: readonly string[];
  /** Gateway time runs this many times faster than real time (retry delays, lifecycle). Default 1. */
  readonly timeScale?: number;
  readonly lifecycle?: { readonly queuedMs?: number; readonly stepMs?: number; readonly readings?: readonly number[] };
  /** A prompt containing this word fails. Default `fail`. */
  readonly failKeyword?: string;
  readonly faults?: MockFaults;
  /** Seed of the fault dice. */
  readonly seed?: number;
  /** Real ms before a delivery attempt times out. Default 10 s. */
  readonly timeoutMs?: number;
}

/** A running mock AI Stats gateway: Video API plus signed webhook sender. */
export interface MockGateway {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** `http://127.0.0.1:<port>/v1`, what `AI_STATS_BASE_URL` takes. */
  readonly baseUrl: string;
  readonly apiKey: string;
  /** The current signing secret. */
  readonly secret: string;
  jobs(): readonly MockJob[];
  job(id: string): MockJob | undefined;
  /** Every delivery attempt, in order. */
  deliveries(): readonly DeliveryRecord[];
  /** Creates a video job as `POST /v1/videos` would; `fail: true` fails it like the keyword does. */
  createVideo(body: {
    model: string;
    prompt: string;
    webhook?: { url?: string; events?: string[] } | undefined;
    fail?: boolean;
  }): MockJob;
  /**
   * Creates a batch job (batches have no create route here): created → in progress → completed,
   * or `outcome` failed / expired (an expired batch is sent as `batch.failed`, as the sender does).
   */
  createBatch(options?: {
    model?: string;
    webhook?: { url?: string; events?: string[] };
    outcome?: 'completed' | 'failed' | 'expired';
  }): MockJob;
  /** Replaces the secret at once, as `rotate-secret` does (with `next`, or a fresh one); returns it. */
  rotateSecret(next?: string): string;
  /** Changes fault knobs at run time. */
  setFaults(faults: MockFaults): void;
  /** Resolves when no lifecycle step or delivery is pending. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

const VIDEO_BYTES = readFileSync(join(__dirname, '..', 'assets', 'sample.mp4'));

/**
 * Starts a local AI Stats / Phaseo gateway on 127.0.0.1: the Video API (`POST/GET /v1/videos`,
 * list, content, `download_url`, `cancel` → 501, `GET /v1/batches/{id}`) with bearer auth, and a
 * sender that runs each job's lifecycle and delivers signed webhooks with the real retry policy,
 * on a clock that can run faster, with fault knobs for tests.
 *
 * @example
 * ```ts
 * const gateway = await createMockGateway({ webhookUrl: 'http://127.0.0.1:3000/webhooks/ai-stats', timeScale: 60 });
 * process.env.AI_STATS_BASE_URL = gateway.baseUrl;
 * ```
 */
export async function createMockGateway(options: MockGatewayOptions = {}): Promise<MockGateway> {
  const d = MOCK_GATEWAY_DEFAULTS;
  const timeScale = options.timeScale ?? 1;
  if (!(timeScale > 0)) throw new Error(`createMockGateway: timeScale must be > 0, found ${String(timeScale)}.`);
  const apiKey = options.apiKey ?? d.apiKey;
  let secret = options.secret?.trim() || newSecret();
  const faults: MockFaults = { ...options.faults };
  const random = createSeededRandom(options.seed ?? 1);
  const queuedMs = options.lifecycle?.queuedMs ?? d.queuedMs;
  const stepMs = options.lifecycle?.stepMs ?? d.stepMs;
  const readings = options.lifecycle?.readings ?? d.readings;
  type GatewayJob = MockJob & { history: MockInternalStatus[]; buckets: Set<number> };
  const jobs = new Map<string, GatewayJob>();
  // A new job, queued and registered; the create functions schedule its lifecycle.
  const addJob = (
    job: Pick<MockJob, 'id' | 'kind' | 'model' | 'prompt' | 'willFail'>,
    webhook: { url?: string | undefined; events?: string[] | undefined } | undefined,
  ): GatewayJob => {
    const created: GatewayJob = {
      ...job,
      status: 'queued',
      progress: 0,
      createdAt: Date.now(),
      startedAt: null,
      completedAt: null,
      error: null,
      webhook: {
        url: webhook?.url ?? options.webhookUrl ?? null,
        events: webhook?.events ?? [...(options.events ?? d.events)],
      },
      records: [],
      history: ['queued'],
      buckets: new Set<number>(),
    };
    jobs.set(created.id, created);
    return created;
  };
  const timers = new Set<ReturnType<typeof setTimeout>>();
  let inflight = 0;
  let idleWaiters: (() => void)[] = [];
  let closed = false;

  const checkIdle = () => {
    if (timers.size === 0 && inflight === 0) {
      const waiters = idleWaiters;
      idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  };
  const ctx: SenderContext = {
    secret: () => secret,
    faults,
    random,
    timeScale,
    timeoutMs: options.timeoutMs ?? d.timeoutMs,
    track: async (work) => {
      inflight++;
      try {
        return await work;
      } finally {
        inflight--;
        checkIdle();
      }
    },
    later: (realMs, run) => {
      if (closed) return;
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (!closed) run();
        checkIdle();
      }, realMs);
      timers.add(timer);
    },
  };
  const at = (gatewayMs: number, run: () => void) => ctx.later(gatewayMs / timeScale, run);

  const setStatus = (job: MockJob & { history: MockInternalStatus[] }, status: MockInternalStatus) => {
    const previous = job.status;
    job.status = status;
    job.history.push(status);
    if (status === 'in_progress') job.startedAt = Date.now();
    if (status === 'completed' || status === 'failed') job.completedAt = Date.now();
    sendEvent(ctx, job, 'video.status_changed', `video.status_changed:${previous}:${status}`, {
      statusChange: { previous_status: previous, status },
    });
    if (status === 'completed' || status === 'failed') sendEvent(ctx, job, `video.${status}`, `video.${status}`);
  };

  const createVideo: MockGateway['createVideo'] = (body) => {
    const job = addJob(
      {
        id: `G-${ulid(Date.now(), random)}`,
        kind: 'video',
        model: body.model,
        prompt: body.prompt,
        willFail:
          body.fail === true ||
          body.prompt.toLowerCase().includes((options.failKeyword ?? d.failKeyword).toLowerCase()),
      },
      body.webhook,
    );
    sendEvent(ctx, job, 'video.created', 'video.created');
    at(queuedMs, () => setStatus(job, 'in_progress'));
    const failAt = Math.floor(readings.length / 2);
    readings.forEach((reading, i) => {
      at(queuedMs + (i + 1) * stepMs, () => {
        if (job.status !== 'in_progress') return;
        if (job.willFail && i === failAt) {
          job.error = {
            code: 'content_policy_violation',
            message: "The prompt was rejected by the provider's safety system.",
          };
          setStatus(job, 'failed');
          return;
        }
        job.progress = reading;
        const bucket = progressBucket(reading);
        // Each bucket is delivered at most once per job (spec §4).
        if (bucket !== undefined && !job.buckets.has(bucket)) {
          job.buckets.add(bucket);
          sendEvent(ctx, job, 'video.progress', `video.progress:${bucket}`, { bucket });
        }
      });
    });
    at(queuedMs + (readings.length + 1) * stepMs, () => {
      if (job.status !== 'in_progress') return;
      job.progress = 100;
      setStatus(job, 'completed');
    });
    return job;
  };

  const createBatch: MockGateway['createBatch'] = (batch = {}) => {
    const job = addJob(
      {
        id: `batch_${ulid(Date.now(), random)}`,
        kind: 'batch',
        model: batch.model ?? 'openai/gpt-5-mini',
        prompt: '',
        willFail: batch.outcome === 'failed' || batch.outcome === 'expired',
      },
      batch.webhook,
    );
    sendEvent(ctx, job, 'batch.created', 'batch.created');
    at(queuedMs, () => {
      job.status = 'in_progress';
      job.history.push('in_progress');
      job.startedAt = Date.now();
    });
    at(queuedMs + (readings.length + 1) * stepMs, () => {
      const final: MockInternalStatus =
        batch.outcome === 'expired' ? 'expired' : batch.outcome === 'failed' ? 'failed' : 'completed';
      if (final === 'failed') job.error = { code: 'batch_failed', message: 'Every request in the batch failed.' };
      job.status = final;
      job.history.push(final);
      job.progress = final === 'completed' ? 100 : job.progress;
      job.completedAt = Date.now();
      const type = final === 'completed' ? 'batch.completed' : 'batch.failed';
      sendEvent(ctx, job, type, type);
    });
    return job;
  };

  const server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => json(res, 500, { error: 'internal_error', message: String(error) }));
  });

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname.replace(/\/+$/, '');
    const method = req.method ?? 'GET';
    if (path === '/healthz') return json(res, 200, { ok: true });
    const auth = req.headers.authorization;
    if (!auth)
      return json(res, 401, {
        error: 'unauthorized',
        reason: 'missing_api_key',
        message: 'Send Authorization: Bearer <key>.',
      });
    if (auth !== `Bearer ${apiKey}`)
      return json(res, 401, { error: 'unauthorized', reason: 'invalid_api_key', message: 'The API key is not valid.' });
    const baseUrl = `http://127.0.0.1:${port}/v1`;
    const readFault = () => {
      if (faults.apiMode === '5xx')
        return (
          json(res, 502, {
            error: 'upstream_error',
            reason: 'video_status_fetch_failed',
            message: 'Upstream status fetch failed (fault).',
          }),
          true
        );
      if (faults.apiMode === '501') return (json(res, 501, NOT_IMPLEMENTED_GLOBAL), true);
      return false;
    };

    if (path === '/v1/videos' && method === 'POST') {
      const body = (await readJson(req)) as
        { model?: unknown; prompt?: unknown; webhook?: { url?: string; events?: string[] } } | undefined;
      if (typeof body?.model !== 'string' || typeof body.prompt !== 'string' || !body.prompt.trim()) {
        return json(res, 400, {
          error: 'validation_error',
          reason: 'invalid_request',
          message: 'Expected JSON with string "model" and non-empty "prompt".',
        });
      }
      const job = createVideo({ model: body.model, prompt: body.prompt, webhook: body.webhook });
      return json(res, 200, videoObject(job, baseUrl));
    }
    if (path === '/v1/videos' && method === 'GET') {
      if (readFault()) return;
      const limit = Math.max(0, Math.min(100, Number(url.searchParams.get('limit') ?? 0) || 0));
      const wanted = url.searchParams
        .getAll('status')
        .flatMap((s) => s.split(','))
        .map((s) => normalizeStatus(s))
        .filter(Boolean);
      const data = [...jobs.values()]
        .filter((job) => job.kind === 'video')
        .reverse()
        .map((job) => videoObject(job, baseUrl))
        .filter((o) => wanted.length === 0 || wanted.includes(normalizeStatus(o.status as string)))
        .slice(0, limit);
      return json(res, 200, {
        object: 'list',
        data,
        first_id: data[0]?.id ?? null,
        last_id: data.at(-1)?.id ?? null,
        has_more: false,
      });
    }
    const match = /^\/v1\/(videos|batches)\/([^/]+)(\/(content|download_url|cancel))?$/.exec(path);
    const job = match ? jobs.get(decodeURIComponent(match[2]!)) : undefined;
    if (!match || !job || (match[1] === 'batches') !== (job.kind === 'batch')) {
      return json(res, 404, {
        error: 'not_found',
        reason: 'video_not_found_or_not_owned',
        message: 'Video not found.',
      });
    }
    const action = match[4];
    if (!action && method === 'GET') {
      if (readFault()) return;
      if (job.kind === 'batch') return json(res, 200, batchObject(job));
      const status = faults.apiLag ? (job.history.at(-2) ?? job.status) : job.status;
      return json(res, 200, videoObject(job, baseUrl, status));
    }
    if (action === 'cancel' && method === 'POST') {
      return json(res, 501, {
        ...NOT_IMPLEMENTED_GLOBAL,
        reason: 'video_cancellation_disabled',
        message: 'Video cancellation is not available yet.',
      });
    }
    if (action === 'content' && method === 'GET') {
      if (job.status !== 'completed')
        return json(res, 409, { error: 'not_ready', reason: 'video_not_ready', message: 'The video is not ready.' });
      res.writeHead(200, {
        'content-type': 'video/mp4',
        'content-length': VIDEO_BYTES.length,
        'cache-control': 'private, no-store',
        'x-content-type-options': 'nosniff',
      });
      return void res.end(VIDEO_BYTES);
    }
    if (action === 'download_url' && method === 'POST') {
      if (job.status !== 'completed') {
        return json(res, 400, {
          error: 'validation_error',
          reason: 'video_download_requires_completed_status',
          message: 'The video is not completed.',
        });
      }
      const expiresAt = Math.floor(Date.now() / 1000) + 900;
      return json(res, 200, {
        download_url: `${baseUrl}/videos/${job.id}/content?download_token=mock&expires_at=${expiresAt}`,
        expires_at: expiresAt,
      });
    }
    return json(res, 405, { error: 'method_not_allowed', message: `${method} is not allowed here.` });
  };

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    baseUrl: `${url}/v1`,
    apiKey,
    get secret() {
      return secret;
    },
    jobs: () => [...jobs.values()],
    job: (id) => jobs.get(id),
    deliveries: () =>
      [...jobs.values()].flatMap((job) => job.records).sort((a, b) => a.triedAt.localeCompare(b.triedAt)),
    createVideo,
    createBatch,
    rotateSecret: (next) => (secret = next?.trim() || newSecret()),
    setFaults: (next) => void Object.assign(faults, next),
    idle: () =>
      new Promise<void>((resolve) => {
        idleWaiters.push(resolve);
        checkIdle();
      }),
    close: async () => {
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      checkIdle();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const NOT_IMPLEMENTED_GLOBAL = {
  error: 'not_implemented_yet',
  reason: 'video_api_temporarily_disabled',
  message: 'Video endpoints are temporarily disabled while the public contract is finalized.',
  status_code: 501,
  error_type: 'user',
  error_origin: 'user',
};

function newSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 1_000_000) return undefined;
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    return undefined;
  }
}
