import {
  storeApiObject,
  videoCreateBody,
  VIDEO_WEBHOOK_EVENTS,
  type CreateVideoRequest,
  type JobState,
  type Receiver,
  type VideosClient,
} from '@ai-stats-webhooks/core';
import { createWebhookMetrics, type WebhookMetrics } from '@ai-stats-webhooks/prometheus';
import { Registry } from 'prom-client';
import { createAppReceiver } from './app-receiver';
import type { EventLog } from './event-log';
import { readEnv, type Env } from './read-env';
import { openStores, type Stores } from './stores';

// One set of stores and one receiver per server process, shared through globalThis: each route
// bundle has its own copy of this module, and instrumentation.ts (a bundle of its own) opens the
// stores when the server starts, so the database is migrated before the first request and a
// second opening of the PGlite directory never happens. The routes' receiver is made in the route
// bundles (on first use), next to the adapter whose errors it recognises; the inbox worker makes
// its own in instrumentation.ts (lib/inbox-worker.ts). `next build` needs no secrets.

interface State {
  env: Env;
  receiver: Receiver;
  api: VideosClient | undefined;
  events: EventLog;
  /** GET /metrics: fed by the routes' receiver, on a registry of this process's own. */
  metrics: WebhookMetrics;
}

const shared = globalThis as typeof globalThis & {
  __aiStatsWebhooksStores?: Promise<Stores>;
  __aiStatsWebhooks?: Promise<State>;
};

/**
 * The process's stores, opened once (PGlite in DATA_DIR by default, DATABASE_URL, or memory with
 * STORE=memory) and migrated.
 *
 * @example
 * ```ts
 * const { description } = await sharedStores();
 * ```
 */
export function sharedStores(): Promise<Stores> {
  shared.__aiStatsWebhooksStores ??= openConfiguredStores();
  return shared.__aiStatsWebhooksStores;
}

async function openConfiguredStores(): Promise<Stores> {
  return openStores(readEnv().store);
}

/**
 * The process's receiver, Video API client and event log, made on first use on the shared stores.
 *
 * @example
 * ```ts
 * const job = await (await state()).receiver.options.jobs.get(id);
 * ```
 */
export function state(): Promise<State> {
  shared.__aiStatsWebhooks ??= createState();
  return shared.__aiStatsWebhooks;
}

async function createState(): Promise<State> {
  const env = readEnv();
  const stores = await sharedStores();
  const metrics = createWebhookMetrics({
    registry: new Registry(),
    jobs: () => receiver.options.jobs,
    inbox: env.processing === 'inbox' ? stores.inbox : undefined, // the ai_stats_inbox_* gauges
  });
  const { receiver, api } = createAppReceiver(env, stores, metrics.record);
  return { env, receiver, api, events: stores.events, metrics };
}

/**
 * Creates a video job with the validated fields and the configured webhook (PUBLIC_WEBHOOK_URL,
 * the events, the first secret), then stores it: step 1 of the recipe.
 *
 * @example
 * ```ts
 * const job = await createJob({ model: 'google/veo-3.1-lite', prompt: 'A paper boat' });
 * ```
 */
export async function createJob(request: CreateVideoRequest): Promise<JobState> {
  const { api, receiver, env } = await state();
  if (!api) throw new Error('Set AI_STATS_API_KEY to create jobs.');
  const webhook = env.publicWebhookUrl
    ? { url: env.publicWebhookUrl, secret: env.secrets[0]!, events: VIDEO_WEBHOOK_EVENTS }
    : undefined;
  const video = await api.createVideo(videoCreateBody(request, webhook));
  return (await storeApiObject(receiver.options.jobs, 'video', video, 'create')).state;
}

/** A job as the contract's `/api/jobs` answers it. */
export function toJson(job: JobState) {
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
