import express from 'express';
import {
  createPoller,
  createReceiver,
  createVideosClient,
  isWebhookError,
  storeApiObject,
  type JobState,
  type Poller,
} from '@ai-stats-webhooks/core';
import { createExpressMiddleware } from '@ai-stats-webhooks/express';
import type { Config } from './config.js';
import type { Stores } from './stores.js';
import { DASHBOARD_HTML } from './dashboard.js';
import { createDeliveryStats } from './delivery-stats.js';

/** One entry of GET /api/events: a delivery whose handler completed, once per event id. */
export interface EventRecord {
  event_id: string;
  type: string;
  job_id: string;
  attempt: number;
  received_at: string;
  job_status: string;
  reconciled: boolean;
  conflict: string | null;
}

export function createApp(config: Config, stores: Stores): { app: express.Express; poller: Poller | undefined } {
  const api = config.apiKey ? createVideosClient({ apiKey: config.apiKey, baseUrl: config.baseUrl }) : undefined;
  const stats = createDeliveryStats();
  const receiver = createReceiver({
    secret: config.secrets,
    toleranceSeconds: config.toleranceSeconds,
    ...(api ? { api } : {}),
    onDelivery: stats.record,
    ...(stores.dedupe ? { dedupe: stores.dedupe } : {}),
    ...(stores.jobs ? { jobs: stores.jobs } : {}),
  });
  const jobs = receiver.options.jobs;

  // Your business logic goes here. This one records every processed event for /api/events; a
  // throw here would answer 5xx and release the event for the sender's retry.
  receiver.onAny(async ({ event, job, delivery, reconciled, conflict }) => {
    await stores.events.append({
      event_id: event.id,
      type: event.type,
      job_id: job.id,
      attempt: delivery.attempt,
      received_at: delivery.receivedAt.toISOString(),
      job_status: job.status,
      reconciled,
      conflict: conflict?.reason ?? null,
    });
  });

  const app = express();
  app.disable('x-powered-by');
  // The webhook route reads the raw body itself, so it is mounted before express.json().
  app.post('/webhooks/ai-stats', createExpressMiddleware(receiver));
  app.use(express.json({ limit: '100kb' }));

  app.get('/healthz', (_req, res) => void res.json({ ok: true }));
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
  });
  app.get('/api/jobs', async (_req, res) => void res.json({ data: (await jobs.list()).map(toJson) }));
  app.get('/api/jobs/:id', async (req, res) => {
    const job = await jobs.get(req.params.id);
    if (job) res.json(toJson(job));
    else res.status(404).json({ error: 'not_found', message: `No job ${req.params.id} is stored here.` });
  });
  app.get('/api/events', async (_req, res) => void res.json({ data: await stores.events.list() }));
  app.get('/api/stats', (_req, res) => void res.json({ total: stats.total() }));

  // Step 5 of the recipe: read the final output (the API wants the bearer key, so it is proxied).
  app.get('/api/jobs/:id/content', async (req, res) => {
    const job = await jobs.get(req.params.id);
    if (!job || job.status !== 'completed' || !api) {
      res.status(404).json({ error: 'not_found', message: 'No completed job with that id, or no AI_STATS_API_KEY.' });
      return;
    }
    try {
      const upstream = await api.getContent(job.id);
      res.type(upstream.headers.get('content-type') ?? 'application/octet-stream');
      res.send(Buffer.from(await upstream.arrayBuffer()));
    } catch (error) {
      res
        .status(502)
        .json({ error: isWebhookError(error) ? error.code : 'upstream_error', message: (error as Error).message });
    }
  });

  // Step 1 of the recipe: create the job, store its id right away.
  app.post('/api/jobs', async (req, res) => {
    if (!api) {
      res.status(503).json({ error: 'api_not_configured', message: 'Set AI_STATS_API_KEY to create jobs.' });
      return;
    }
    const body = req.body as Record<string, unknown> | undefined;
    if (typeof body?.model !== 'string' || typeof body.prompt !== 'string') {
      res
        .status(400)
        .json({ error: 'invalid_request', message: 'Expected a JSON body with string "model" and "prompt".' });
      return;
    }
    try {
      const video = await api.createVideo({ ...body, model: body.model, prompt: body.prompt });
      // Step 1 of the recipe: store the id (and state) right away; webhooks and polls take it from here.
      const job = (await storeApiObject(jobs, 'video', video, 'create')).state;
      res.status(201).json(toJson(job));
    } catch (error) {
      const status = isWebhookError(error) ? (error.status >= 500 ? 502 : 400) : 500;
      res.status(status).json({
        error: isWebhookError(error) ? error.code : 'internal_error',
        message: String((error as Error).message),
      });
    }
  });

  app.get('/', (_req, res) => void res.type('html').send(DASHBOARD_HTML));
  app.use((_req, res) => void res.status(404).json({ error: 'not_found' }));

  // The recipe's control loop: polling continues even with webhooks on.
  const poller =
    api && config.pollIntervalMs !== 0
      ? createPoller({
          api,
          jobs,
          ...(config.pollIntervalMs ? { intervalMs: config.pollIntervalMs } : {}),
          logger: console,
        })
      : undefined;
  return { app, poller };
}
