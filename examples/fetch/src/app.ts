// The whole app as one Hono instance built on Web APIs only (Request, Response, fetch, WebCrypto),
// so this file runs unchanged on Node (src/node.ts), Cloudflare Workers, Bun and Deno. No node:*
// import here: the Node-only start-up checks (HOST, the environment) live in src/config.ts. Only
// GET /metrics (prom-client) needs Node built-ins, which workerd has with `nodejs_compat`.
import { Hono, type Context } from 'hono';
import { Registry } from 'prom-client';
import {
  createReceiver,
  createVideosClient,
  isPlainJobId,
  isWebhookError,
  storeApiObject,
  parseCreateVideoRequest,
  videoCreateBody,
  VIDEO_WEBHOOK_EVENTS,
  type JobState,
  type JobStore,
  type VideosClient,
} from '@ai-stats-webhooks/core';
import { createFetchHandler } from '@ai-stats-webhooks/fetch';
import { createWebhookMetrics } from '@ai-stats-webhooks/prometheus';
import { adminAuth } from './admin-auth.js';
import { createEventLog } from './event-log.js';

/** What {@link createApp} needs; on Workers, Bun and Deno build it from the runtime's env. */
export interface AppConfig {
  secrets: string[];
  apiKey?: string | undefined;
  baseUrl?: string | undefined;
  toleranceSeconds?: number | undefined;
  /** Guards every route but the webhook and /healthz (Bearer, or the HTTP Basic password). */
  adminToken?: string | undefined;
  /** The webhook URL that POST /api/jobs gives the Video API, with the first secret; unset: none. */
  publicWebhookUrl?: string | undefined;
}

/**
 * The contract app as a Hono instance: `app.fetch` is a `(Request) => Promise<Response>`.
 *
 * @example
 * ```ts
 * const app = createApp({ secrets: [env.AI_STATS_WEBHOOK_SECRET], adminToken: env.ADMIN_TOKEN });
 * export default { fetch: app.fetch };
 * ```
 */
export function createApp(config: AppConfig): Hono {
  const api = config.apiKey
    ? createVideosClient({ apiKey: config.apiKey, ...(config.baseUrl ? { baseUrl: config.baseUrl } : {}) })
    : undefined;
  // GET /metrics: Prometheus metrics on a registry of this app's own.
  const metrics = createWebhookMetrics({ registry: new Registry(), jobs: () => receiver.options.jobs });
  const receiver = createReceiver({
    secret: config.secrets,
    onDelivery: metrics.record,
    ...(config.toleranceSeconds === undefined ? {} : { toleranceSeconds: config.toleranceSeconds }),
    ...(api ? { api } : {}),
  });
  const jobs = receiver.options.jobs;
  const events = createEventLog();
  // Your business logic goes here; this one records each processed event once.
  receiver.onAny(({ event, job, delivery }) => {
    events.append({
      event_id: event.id,
      type: event.type,
      job_id: job.id,
      attempt: delivery.attempt,
      received_at: delivery.receivedAt.toISOString(),
    });
  });
  const webhook = createFetchHandler(receiver);

  const app = new Hono();
  // Open to everyone: the sender signs its deliveries; every method reaches the receiver, which
  // answers 405 (Allow: POST) to anything but POST. Hono hands over the untouched Request, so the
  // raw bytes are still there to verify. c.env is for Node: @hono/node-server puts Node's request
  // there, and the body is read from it directly.
  app.all('/webhooks/ai-stats', (c) => webhook(c.req.raw, c.env));
  app.get('/healthz', (c) => c.json({ ok: true }));
  // Every route registered below needs ADMIN_TOKEN when it is set; without it, a Host of this machine.
  app.use('*', adminAuth(config.adminToken));
  app.get('/metrics', async (c) => c.body(await metrics.render(), 200, { 'Content-Type': metrics.contentType }));
  app.get('/api/jobs', (c) => listJobs(c, jobs));
  // An id that is not a plain job id (a NUL byte, `%ZZ` that does not decode, …) names no job.
  app.get('/api/jobs/:id', async (c) => {
    const id = c.req.param('id');
    const job = isPlainJobId(id) ? await jobs.get(id) : undefined;
    return job ? c.json(toJson(job)) : c.json({ error: 'not_found' }, 404);
  });
  app.get('/api/events', (c) => c.json({ data: events.list() }));
  app.post('/api/jobs', (c) => createJob(c, api, jobs, config));
  app.notFound((c) => c.json({ error: 'not_found' }, 404));
  return app;
}

const JSON_TYPE = /^application\/json\s*(;|$)/i;

// GET /api/jobs: one page of the newest jobs, newest first (?limit=, default 1000, at most 10,000).
async function listJobs(c: Context, jobs: JobStore) {
  const read = readListLimit(c.req.queries('limit'));
  if ('message' in read) return c.json({ error: 'invalid_request', message: read.message }, 400);
  return c.json({ data: (await jobs.list({ limit: read.limit })).map(toJson) });
}

/** How many jobs `GET /api/jobs` answers without `?limit=`, and the most one page may hold. */
export const JOB_LIST_LIMITS = Object.freeze({ default: 1000, max: 10_000 });

/**
 * The `?limit=` values of `GET /api/jobs`: the default when absent, else one integer from 1 to
 * {@link JOB_LIST_LIMITS}.max; anything else gives the message of a 400 answer.
 *
 * @example
 * ```ts
 * readListLimit(['50']); // { limit: 50 }
 * readListLimit(['all']); // { message: 'Expected limit to be an integer from 1 to 10000, found "all". …' }
 * ```
 */
export function readListLimit(values: string[] | undefined): { limit: number } | { message: string } {
  if (values === undefined || values.length === 0) return { limit: JOB_LIST_LIMITS.default };
  const raw = values.length === 1 ? values[0]! : undefined;
  const limit = raw !== undefined && /^\d{1,7}$/.test(raw) ? Number(raw) : Number.NaN;
  if (limit >= 1 && limit <= JOB_LIST_LIMITS.max) return { limit };
  const found = raw === undefined ? 'several values' : JSON.stringify(raw.slice(0, 40));
  return {
    message: `Expected limit to be an integer from 1 to ${JOB_LIST_LIMITS.max}, found ${found}. Fix: ask for one page of the newest jobs, e.g. /api/jobs?limit=${JOB_LIST_LIMITS.default} (the default).`,
  };
}

// Step 1 of the recipe: create the job with the allowed fields and the configured webhook, store its id.
async function createJob(c: Context, api: VideosClient | undefined, jobs: JobStore, config: AppConfig) {
  // JSON only: a form or text/plain POST needs no CORS preflight, so any web page could send one.
  const found = c.req.header('content-type') ?? 'none';
  if (!JSON_TYPE.test(found))
    return c.json(
      {
        error: 'unsupported_media_type',
        message: `Expected Content-Type: application/json, found ${found}. Send the job as JSON; a form or text/plain POST, which any web page can send, is refused.`,
      },
      415,
    );
  if (!api) return c.json({ error: 'api_not_configured', message: 'Set AI_STATS_API_KEY to create jobs.' }, 503);
  const parsed = parseCreateVideoRequest(await c.req.json().catch(() => undefined));
  if (!parsed.ok) return c.json({ error: 'invalid_request', message: parsed.message }, 400);
  const webhook = config.publicWebhookUrl
    ? { url: config.publicWebhookUrl, secret: config.secrets[0]!, events: VIDEO_WEBHOOK_EVENTS }
    : undefined;
  try {
    const video = await api.createVideo(videoCreateBody(parsed.value, webhook));
    // Store the id (and state) right away; webhooks and polls take it from here.
    const job = (await storeApiObject(jobs, 'video', video, 'create')).state;
    return c.json(toJson(job), 201);
  } catch (error) {
    const code = isWebhookError(error) ? error.code : 'internal_error';
    return c.json(
      { error: code, message: (error as Error).message },
      isWebhookError(error) && error.status < 500 ? 400 : 502,
    );
  }
}

function toJson(job: JobState) {
  return {
    id: job.id,
    kind: job.kind,
    status: job.status,
    progress: job.progress,
    updated_at: job.updatedAt,
    source: job.source,
    failure: job.failure ?? null,
  };
}
