import express from 'express';
import {
  countJobs,
  isPlainJobId,
  isWebhookError,
  parseCreateVideoRequest,
  storeApiObject,
  videoCreateBody,
  VIDEO_WEBHOOK_EVENTS,
  type JobState,
  type JobStatus,
  type JobStore,
  type VideosClient,
} from '@ai-stats-webhooks/core';
import type { Config } from './config.js';
import type { createDeliveryStats } from './delivery-stats.js';
import type { EventLog } from './event-log.js';
import type { JobTimeline } from './job-timeline.js';
import { proxyContent } from './proxy-content.js';

/** What the `/api/*` routes read and write. */
export interface JobRoutesDeps {
  config: Config;
  api: VideosClient | undefined;
  jobs: JobStore;
  events: EventLog;
  stats: ReturnType<typeof createDeliveryStats>;
  /** When given, each job carries its dashboard `verdict` and `verdict_label`. */
  timeline?: JobTimeline;
}

/** How many jobs `GET /api/jobs` answers without `?limit=`, and the most one page may hold. */
export const JOB_LIST_LIMITS = Object.freeze({ default: 1000, max: 10_000 });

/**
 * The `?limit=` of `GET /api/jobs`: the default when absent, else an integer from 1 to
 * {@link JOB_LIST_LIMITS}.max; anything else gives the message of a 400 answer.
 *
 * @example
 * ```ts
 * readListLimit('50'); // { limit: 50 }
 * readListLimit('all'); // { message: 'Expected limit to be an integer from 1 to 10000, found "all". …' }
 * ```
 */
export function readListLimit(raw: unknown): { limit: number } | { message: string } {
  if (raw === undefined) return { limit: JOB_LIST_LIMITS.default };
  const limit = typeof raw === 'string' && /^\d{1,7}$/.test(raw) ? Number(raw) : Number.NaN;
  if (limit >= 1 && limit <= JOB_LIST_LIMITS.max) return { limit };
  const found = typeof raw === 'string' ? JSON.stringify(raw.slice(0, 40)) : 'several values';
  return {
    message: `Expected limit to be an integer from 1 to ${JOB_LIST_LIMITS.max}, found ${found}. Fix: ask for one page of the newest jobs, e.g. /api/jobs?limit=${JOB_LIST_LIMITS.default} (the default).`,
  };
}

/**
 * How many jobs the store holds, in all and per status (every status, zeros included), counted
 * by the store (`countJobs`: one `group by` on PostgreSQL and PGlite) rather than from a page of jobs.
 *
 * @example
 * ```ts
 * const { total, by_status } = await jobTotals(jobs); // 20000, { queued: 7, processing: 3, … }
 * ```
 */
export async function jobTotals(jobs: JobStore): Promise<{ total: number; by_status: Record<JobStatus, number> }> {
  const byStatus: Record<JobStatus, number> = {
    queued: 0,
    processing: 0,
    completed: 0,
    failed: 0,
    cancelled: 0,
    expired: 0,
  };
  let total = 0;
  for (const { status, count } of await countJobs(jobs)) {
    byStatus[status] = (byStatus[status] ?? 0) + count;
    total += count;
  }
  return { total, by_status: byStatus };
}

/** A job as `/api/jobs` answers it, with its delivery totals and, given a timeline, its verdict. */
function jobJson(deps: JobRoutesDeps) {
  return (job: JobState) => ({
    id: job.id,
    kind: job.kind,
    status: job.status,
    progress: job.progress,
    created_at: job.createdAt,
    updated_at: job.updatedAt,
    source: job.source,
    output: job.output ?? null,
    failure: job.failure ?? null,
    last_event_id: job.lastEventId ?? null,
    delivery: deps.stats.forJob(job.id),
    ...deps.timeline?.verdictOf(job),
  });
}

/**
 * The `/api/*` routes of the contract: jobs (one page, newest first: `?limit=`, default 1000, at
 * most 10,000), events, delivery totals and job counts, a job's video, job creation. Mount it after
 * the admin guard and `express.json()`.
 *
 * @example
 * ```ts
 * app.use(adminAuth(config.adminToken), express.json(), jobRoutes({ config, api, jobs, events, stats }));
 * ```
 */
export function jobRoutes(deps: JobRoutesDeps): express.Router {
  const { jobs, stats } = deps;
  const toJson = jobJson(deps);
  const router = express.Router();
  router.get('/api/jobs', async (req, res) => {
    const read = readListLimit(req.query.limit);
    if ('message' in read) res.status(400).json({ error: 'invalid_request', message: read.message });
    else res.json({ data: (await jobs.list({ limit: read.limit })).map(toJson) });
  });
  // An id that is not a plain job id (a NUL byte, `/`, …) names no job: 404 without asking the
  // store (PostgreSQL refuses a NUL byte in text, which would be a 500).
  router.get('/api/jobs/:id', async (req, res) => {
    const job = isPlainJobId(req.params.id) ? await jobs.get(req.params.id) : undefined;
    if (job) res.json(toJson(job));
    else res.status(404).json({ error: 'not_found', message: 'No job with that id is stored here.' });
  });
  router.get('/api/events', async (_req, res) => void res.json({ data: await deps.events.list() }));
  // The dashboard's totals and charts: deliveries (this process) and the stored jobs by status.
  router.get('/api/stats', async (_req, res) => {
    res.json({ total: stats.total(), series: stats.series(), jobs: await jobTotals(jobs) });
  });
  // Step 5 of the recipe: read the final output (the API wants the bearer key, so it is proxied).
  router.get('/api/jobs/:id/content', (req, res) => sendContent(deps, req.params.id, res));
  // Step 1 of the recipe: create the job, store its id right away.
  router.post('/api/jobs', async (req, res) => {
    // JSON only: a form or text/plain POST needs no CORS preflight, so any web page could send one.
    if (!req.is('application/json')) {
      const found = req.get('content-type') ?? 'none';
      res.status(415).json({
        error: 'unsupported_media_type',
        message: `Expected Content-Type: application/json, found ${found}. Send the job as JSON; a form or text/plain POST, which any web page can send, is refused.`,
      });
      return;
    }
    const answer = await createJob(deps, req.body);
    res.status(answer.status).json(answer.status === 201 ? toJson(answer.job!) : answer.body);
  });
  return router;
}

async function sendContent(deps: JobRoutesDeps, id: string, res: express.Response): Promise<void> {
  if (!isPlainJobId(id)) {
    res.status(400).json({
      error: 'invalid_job_id',
      message: `Expected a plain job id such as G-01KA7Q3M9V2X5C8B4N6D1F0H7J (letters, digits, "_", "-", ".", ":"), found ${JSON.stringify(String(id).slice(0, 80))}.`,
    });
    return;
  }
  const job = await deps.jobs.get(id);
  if (!job || job.status !== 'completed' || !deps.api) {
    res.status(404).json({ error: 'not_found', message: 'No completed job with that id, or no AI_STATS_API_KEY.' });
    return;
  }
  try {
    await proxyContent(await deps.api.getContent(job.id), res, deps.config.contentMaxBytes);
  } catch (error) {
    console.error(`GET /api/jobs/${id}/content: ${(error as Error).message}`);
    if (res.headersSent) res.destroy();
    else
      res
        .status(502)
        .json({ error: isWebhookError(error) ? error.code : 'upstream_error', message: (error as Error).message });
  }
}

async function createJob(
  deps: JobRoutesDeps,
  body: unknown,
): Promise<{ status: number; job?: JobState; body?: { error: string; message: string } }> {
  const { api, config } = deps;
  if (!api)
    return { status: 503, body: { error: 'api_not_configured', message: 'Set AI_STATS_API_KEY to create jobs.' } };
  const parsed = parseCreateVideoRequest(body);
  if (!parsed.ok) return { status: 400, body: { error: 'invalid_request', message: parsed.message } };
  const webhook = config.publicWebhookUrl
    ? { url: config.publicWebhookUrl, secret: config.secrets[0]!, events: VIDEO_WEBHOOK_EVENTS }
    : undefined;
  try {
    const video = await api.createVideo(videoCreateBody(parsed.value, webhook));
    // Store the id (and state) right away; webhooks and polls take it from here.
    return { status: 201, job: (await storeApiObject(deps.jobs, 'video', video, 'create')).state };
  } catch (error) {
    const status = isWebhookError(error) ? (error.status >= 500 ? 502 : 400) : 500;
    const code = isWebhookError(error) ? error.code : 'internal_error';
    return { status, body: { error: code, message: String((error as Error).message) } };
  }
}
