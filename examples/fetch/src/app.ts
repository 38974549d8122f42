// The whole app as one Hono instance built on Web APIs only (Request, Response, fetch), so this
// file runs unchanged on Node (src/node.ts), Cloudflare Workers, Bun and Deno.
import { Hono } from 'hono';
import {
  createReceiver,
  createVideosClient,
  isWebhookError,
  storeApiObject,
  type JobState,
} from '@ai-stats-webhooks/core';
import { createFetchHandler } from '@ai-stats-webhooks/fetch';

export interface AppConfig {
  secrets: string[];
  apiKey?: string | undefined;
  baseUrl?: string | undefined;
  toleranceSeconds?: number | undefined;
}

export function createApp(config: AppConfig): Hono {
  const api = config.apiKey
    ? createVideosClient({ apiKey: config.apiKey, ...(config.baseUrl ? { baseUrl: config.baseUrl } : {}) })
    : undefined;
  const receiver = createReceiver({
    secret: config.secrets,
    ...(config.toleranceSeconds === undefined ? {} : { toleranceSeconds: config.toleranceSeconds }),
    ...(api ? { api } : {}),
  });
  const jobs = receiver.options.jobs;

  // Your business logic goes here; this one records each processed event once.
  const events: { event_id: string; type: string; job_id: string; attempt: number; received_at: string }[] = [];
  receiver.onAny(({ event, job, delivery }) => {
    events.push({
      event_id: event.id,
      type: event.type,
      job_id: job.id,
      attempt: delivery.attempt,
      received_at: delivery.receivedAt.toISOString(),
    });
  });
  const webhook = createFetchHandler(receiver);

  const app = new Hono();
  // Hono hands over the untouched Request, so the raw bytes are still there to verify. c.env is
  // for Node: @hono/node-server puts Node's request there, and the body is read from it directly.
  app.all('/webhooks/ai-stats', (c) => webhook(c.req.raw, c.env));
  app.get('/healthz', (c) => c.json({ ok: true }));
  app.get('/api/jobs', async (c) => c.json({ data: (await jobs.list()).map(toJson) }));
  app.get('/api/jobs/:id', async (c) => {
    const job = await jobs.get(c.req.param('id'));
    return job ? c.json(toJson(job)) : c.json({ error: 'not_found' }, 404);
  });
  app.get('/api/events', (c) => c.json({ data: events }));
  app.post('/api/jobs', async (c) => {
    if (!api) return c.json({ error: 'api_not_configured', message: 'Set AI_STATS_API_KEY to create jobs.' }, 503);
    const body = (await c.req.json().catch(() => undefined)) as Record<string, unknown> | undefined;
    if (typeof body?.model !== 'string' || typeof body.prompt !== 'string') {
      return c.json(
        { error: 'invalid_request', message: 'Expected a JSON body with string "model" and "prompt".' },
        400,
      );
    }
    try {
      const video = await api.createVideo({ ...body, model: body.model, prompt: body.prompt });
      // Step 1 of the recipe: store the id (and state) right away; webhooks and polls take it from here.
      const job = (await storeApiObject(jobs, 'video', video, 'create')).state;
      return c.json(toJson(job), 201);
    } catch (error) {
      const code = isWebhookError(error) ? error.code : 'internal_error';
      return c.json(
        { error: code, message: (error as Error).message },
        isWebhookError(error) && error.status < 500 ? 400 : 502,
      );
    }
  });
  app.notFound((c) => c.json({ error: 'not_found' }, 404));
  return app;
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
