import express from 'express';
import {
  createPoller,
  createReceiver,
  createVideosClient,
  type JobStore,
  type Poller,
  type VideosClient,
} from '@ai-stats-webhooks/core';
import { createExpressMiddleware } from '@ai-stats-webhooks/express';
import { adminAuth } from './admin-auth.js';
import type { Config } from './config.js';
import type { Stores } from './stores.js';
import { DASHBOARD_HTML } from './dashboard.js';
import { createDeliveryStats } from './delivery-stats.js';
import { jobRoutes } from './job-routes.js';

export type { EventRecord } from './event-log.js';

/**
 * The contract app: the webhook receiver, the job API, the dashboard and the poller. The webhook
 * route and /healthz are open; everything else needs `config.adminToken` when it is set.
 *
 * @example
 * ```ts
 * const { app, poller } = createApp(readConfig(), await createStores(undefined));
 * app.listen(3000, '127.0.0.1', () => poller?.start());
 * ```
 */
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
  // Open to everyone: the sender signs its deliveries. Every method reaches the receiver, which
  // answers 405 (Allow: POST) to anything but POST. It reads the raw body itself, so it is mounted
  // before express.json().
  app.all('/webhooks/ai-stats', createExpressMiddleware(receiver));
  app.get('/healthz', (_req, res) => void res.json({ ok: true }));
  // Everything below needs ADMIN_TOKEN when it is set.
  app.use(adminAuth(config.adminToken));
  app.use(express.json({ limit: '100kb' }));
  app.use(jobRoutes({ config, api, jobs, events: stores.events, stats }));
  app.get('/', (_req, res) => void res.type('html').send(DASHBOARD_HTML));
  app.use((_req, res) => void res.status(404).json({ error: 'not_found' }));
  app.use(jsonErrors);
  return { app, poller: createAppPoller(config, api, jobs) };
}

/** Body-parser and route errors as short JSON (never Express's HTML page with a stack). */
const jsonErrors: express.ErrorRequestHandler = (error: { status?: number; type?: string }, _req, res, _next) => {
  const status = typeof error.status === 'number' && error.status >= 400 && error.status < 600 ? error.status : 500;
  const messages: Record<string, string> = {
    'entity.parse.failed': 'Expected a JSON body, found text that is not JSON. Fix: send valid JSON.',
    'entity.too.large': 'Expected a JSON body of at most 100 kB, found a larger one.',
  };
  if (status >= 500) console.error(error);
  res.status(status).json({
    error: status >= 500 ? 'internal_error' : 'invalid_request',
    message: messages[error.type ?? ''] ?? (status >= 500 ? 'Internal error; see the server log.' : 'Bad request.'),
  });
};

// The recipe's control loop: polling continues even with webhooks on.
function createAppPoller(config: Config, api: VideosClient | undefined, jobs: JobStore): Poller | undefined {
  if (!api || config.pollIntervalMs === 0) return undefined;
  return createPoller({
    api,
    jobs,
    ...(config.pollIntervalMs ? { intervalMs: config.pollIntervalMs } : {}),
    logger: console,
  });
}
