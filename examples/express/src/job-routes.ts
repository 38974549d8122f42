import express from 'express';
import {
  isPlainJobId,
  isWebhookError,
  parseCreateVideoRequest,
  storeApiObject,
  videoCreateBody,
  VIDEO_WEBHOOK_EVENTS,
  type JobState,
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

/**
 * The `/api/*` routes of the contract: jobs, events, delivery totals, a job's video, job creation.
 * Mount it after the admin guard and `express.json()`.
 *
 * @example
 * ```ts
 * app.use(adminAuth(config.adminToken), express.json(), jobRoutes({ config, api, jobs, events, stats }));
 * ```
 */
export function jobRoutes(deps: JobRoutesDeps): express.Router {
  const { jobs, stats } = deps;
  const toJson = (job: JobState) => ({
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
    delivery: stats.forJob(job.id),
    ...deps.timeline?.verdictOf(job),
  });
  const router = express.Router();
  router.get('/api/jobs', async (_req, res) => void res.json({ data: (await jobs.list()).map(toJson) }));
  router.get('/api/jobs/:id', async (req, res) => {
    const job = await jobs.get(req.params.id);
    if (job) res.json(toJson(job));
    else res.status(404).json({ error: 'not_found', message: 'No job with that id is stored here.' });
  });
  router.get('/api/events', async (_req, res) => void res.json({ data: await deps.events.list() }));
  router.get('/api/stats', (_req, res) => void res.json({ total: stats.total(), series: stats.series() }));
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
