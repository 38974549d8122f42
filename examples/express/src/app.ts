import express from 'express';
import { Registry } from 'prom-client';
import {
  createPoller,
  createReceiver,
  createVideosClient,
  type JobStore,
  type Poller,
  type Receiver,
  type VideosClient,
} from '@ai-stats-webhooks/core';
import { createExpressMiddleware } from '@ai-stats-webhooks/express';
import { createInboxWorker, type InboxWorker, type InboxWorkerOptions } from '@ai-stats-webhooks/postgres';
import { createWebhookMetrics } from '@ai-stats-webhooks/prometheus';
import { adminAuth } from './admin-auth.js';
import type { Config } from './config.js';
import type { Stores } from './stores.js';
import { DASHBOARD_HTML } from './dashboard.js';
import { createDeliveryStats } from './delivery-stats.js';
import { jobRoutes } from './job-routes.js';
import { inboxRoutes } from './inbox-routes.js';
import { createJobTimeline } from './job-timeline.js';
import { observeVideosClient } from './observe-videos-client.js';
import { timelineRoutes } from './timeline-routes.js';

export type { EventRecord } from './event-log.js';

/** What {@link createApp} makes: the Express app, and what the server starts and stops with it. */
export interface CreatedApp {
  app: express.Express;
  poller: Poller | undefined;
  /** PROCESSING=inbox: the worker that runs the handlers of acknowledged deliveries. */
  worker: InboxWorker | undefined;
  /** The receiver, to add handlers of your own (`receiver.on`, `receiver.onAny`). */
  receiver: Receiver;
}

/** What {@link createApp} takes besides the configuration and the stores. */
export interface AppOptions {
  /** PROCESSING=inbox: the worker's schedule (retries, attempts, concurrency); the kit's defaults otherwise. */
  inboxWorker?: Omit<InboxWorkerOptions, 'receiver' | 'inbox'>;
}

/**
 * The contract app: the webhook receiver, the job API, the dashboard, the poller and, in inbox
 * mode, the inbox worker. The webhook route and /healthz are open; everything else needs
 * `config.adminToken` when it is set.
 *
 * @example
 * ```ts
 * const config = readConfig();
 * const { app, poller, worker } = createApp(config, await createStores(config.store));
 * app.listen(3000, '127.0.0.1', () => void worker?.start().then(() => poller?.start()));
 * ```
 */
export function createApp(config: Config, stores: Stores, options: AppOptions = {}): CreatedApp {
  const api = config.apiKey ? createVideosClient({ apiKey: config.apiKey, baseUrl: config.baseUrl }) : undefined;
  const stats = createDeliveryStats();
  // The dashboard's per-job timelines and verdicts: deliveries, polls, reconciliations, sender's view.
  const timeline = createJobTimeline();
  // GET /metrics: Prometheus metrics on a registry of this app's own.
  const metrics = createWebhookMetrics({
    registry: new Registry(),
    jobs: () => receiver.options.jobs,
    inbox: config.processing === 'inbox' ? stores.inbox : undefined, // the ai_stats_inbox_* gauges
  });
  const receiver = createReceiver({
    secret: config.secrets,
    toleranceSeconds: config.toleranceSeconds,
    ...(api ? { api: observeVideosClient(api, 'reconcile', timeline) } : {}),
    onDelivery: (report) => {
      stats.record(report);
      metrics.record(report);
      timeline.recordDelivery(report);
    },
    ...(stores.transactional ? { stores: stores.transactional } : {}),
    // Inbox mode: 200 once the delivery is stored; the worker below runs the handlers.
    ...(config.processing === 'inbox' && stores.inbox ? { inbox: stores.inbox } : {}),
    ...(stores.dedupe ? { dedupe: stores.dedupe } : {}),
    ...(stores.jobs ? { jobs: stores.jobs } : {}),
  });
  const jobs = receiver.options.jobs;
  receiver.onAny(timeline.handler);

  // Your business logic goes here. This one records every processed event for /api/events; a
  // throw here would answer 5xx and release the event for the sender's retry. With PGlite or
  // PostgreSQL, `tx` is the delivery's transaction: write your own rows through it, and they
  // commit together with the processed mark, the job update and this record, or not at all.
  receiver.onAny(async ({ event, job, delivery, reconciled, conflict, tx }) => {
    await stores.events.append(
      {
        event_id: event.id,
        type: event.type,
        job_id: job.id,
        attempt: delivery.attempt,
        received_at: delivery.receivedAt.toISOString(),
        job_status: job.status,
        reconciled,
        conflict: conflict?.reason ?? null,
      },
      tx,
    );
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
  app.get('/metrics', async (_req, res) => void res.type(metrics.contentType).send(await metrics.render()));
  app.use(express.json({ limit: '100kb' }));
  app.use(jobRoutes({ config, api, jobs, events: stores.events, stats, timeline }));
  app.use(timelineRoutes({ jobs, timeline }));
  app.use(inboxRoutes(receiver.options.inbox ? stores.inbox : undefined));
  app.get('/', (_req, res) => void res.type('html').send(DASHBOARD_HTML));
  app.use((_req, res) => void res.status(404).json({ error: 'not_found' }));
  app.use(jsonErrors);
  const worker =
    receiver.options.inbox && stores.inbox
      ? createInboxWorker({ ...options.inboxWorker, receiver, inbox: stores.inbox })
      : undefined;
  const polled = api && observeVideosClient(api, 'poll', timeline);
  return { app, poller: createAppPoller(config, polled, jobs), worker, receiver };
}

/**
 * Body-parser and route errors as short JSON (never Express's HTML page with a stack). A path
 * parameter that does not decode (`/api/jobs/%ZZ`) names nothing: 404, as in the other examples.
 */
const jsonErrors: express.ErrorRequestHandler = (error: { status?: number; type?: string }, _req, res, _next) => {
  if (error instanceof URIError) {
    res.status(404).json({ error: 'not_found', message: 'No such path: its percent-encoding does not decode.' });
    return;
  }
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
