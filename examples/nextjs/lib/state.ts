import {
  createReceiver,
  createVideosClient,
  storeApiObject,
  type JobState,
  type Receiver,
  type VideosClient,
} from '@ai-stats-webhooks/core';
import { videoCreateBody, WEBHOOK_EVENTS, type CreateJobRequest } from './create-job-request';
import { createEventLog, type EventLog } from './event-log';
import { readEnv, type Env } from './read-env';

// One receiver (and its memory stores) per server process. Route modules share it through this
// module; it is created on first use so that `next build` needs no secrets.

interface State {
  env: Env;
  receiver: Receiver;
  api: VideosClient | undefined;
  events: EventLog;
}

const globalState = globalThis as typeof globalThis & { __aiStatsWebhooks?: State };

/**
 * The process's receiver, Video API client and event log, created on first use.
 *
 * @example
 * ```ts
 * const job = await state().receiver.options.jobs.get(id);
 * ```
 */
export function state(): State {
  if (globalState.__aiStatsWebhooks) return globalState.__aiStatsWebhooks;
  const env = readEnv();
  const api = env.apiKey
    ? createVideosClient({ apiKey: env.apiKey, ...(env.baseUrl ? { baseUrl: env.baseUrl } : {}) })
    : undefined;
  const receiver = createReceiver({
    secret: env.secrets,
    toleranceSeconds: env.toleranceSeconds,
    ...(api ? { api } : {}),
  });
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
  return (globalState.__aiStatsWebhooks = { env, receiver, api, events });
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
export async function createJob(request: CreateJobRequest): Promise<JobState> {
  const { api, receiver, env } = state();
  if (!api) throw new Error('Set AI_STATS_API_KEY to create jobs.');
  const webhook = env.publicWebhookUrl
    ? { url: env.publicWebhookUrl, secret: env.secrets[0]!, events: WEBHOOK_EVENTS }
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
