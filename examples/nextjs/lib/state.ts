import {
  createReceiver,
  createVideosClient,
  storeApiObject,
  type JobState,
  type Receiver,
  type VideosClient,
} from '@ai-stats-webhooks/core';

// One receiver (and its memory stores) per server process. Route modules share it through this
// module; it is created on first use so that `next build` needs no secrets.

export interface EventRecord {
  event_id: string;
  type: string;
  job_id: string;
  attempt: number;
  received_at: string;
}

interface State {
  receiver: Receiver;
  api: VideosClient | undefined;
  events: EventRecord[];
}

const globalState = globalThis as typeof globalThis & { __aiStatsWebhooks?: State };

/** Reads the contract's environment; throws an error naming the variable when it is unusable. */
export function readEnv() {
  const secrets = (process.env.AI_STATS_WEBHOOK_SECRET ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (secrets.length === 0) {
    throw new Error('AI_STATS_WEBHOOK_SECRET is required: set it to the endpoint signing secret (whsec_…).');
  }
  const tolerance = process.env.WEBHOOK_TOLERANCE_SECONDS?.trim();
  if (tolerance && !/^\d+$/.test(tolerance)) {
    throw new Error(`WEBHOOK_TOLERANCE_SECONDS must be a non-negative integer, found "${tolerance}".`);
  }
  return {
    secrets,
    apiKey: process.env.AI_STATS_API_KEY?.trim() || undefined,
    baseUrl: process.env.AI_STATS_BASE_URL?.trim() || undefined,
    toleranceSeconds: tolerance ? Number(tolerance) : 300,
  };
}

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
  const events: EventRecord[] = [];
  // Your business logic goes here; this one records each processed event once.
  receiver.onAny(({ event, job, delivery }) => {
    events.push({
      event_id: event.id,
      type: event.type,
      job_id: job.id,
      attempt: delivery.attempt,
      received_at: delivery.receivedAt.toISOString(),
    });
  });
  return (globalState.__aiStatsWebhooks = { receiver, api, events });
}

export async function createJob(body: Record<string, unknown> & { model: string; prompt: string }): Promise<JobState> {
  const { api, receiver } = state();
  if (!api) throw new Error('Set AI_STATS_API_KEY to create jobs.');
  const video = await api.createVideo(body);
  return (await storeApiObject(receiver.options.jobs, 'video', video, 'create')).state;
}

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
