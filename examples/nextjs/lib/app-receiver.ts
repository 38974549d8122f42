import {
  createReceiver,
  createVideosClient,
  type DeliveryReport,
  type Receiver,
  type VideosClient,
} from '@ai-stats-webhooks/core';
import type { Env } from './read-env';
import type { Stores } from './stores';

/**
 * The app's receiver on its stores, with the handlers: with PROCESSING=inbox it answers 200 once
 * the delivery is in the inbox, and the inbox worker runs the handlers later. `onDelivery` gets
 * the report of every answer of the webhook route (GET /metrics counts them). The route bundles
 * make one (the webhook route's answers), and so does the inbox worker in instrumentation.ts.
 *
 * @example
 * ```ts
 * const { receiver, api } = createAppReceiver(readEnv(), await sharedStores());
 * ```
 */
export function createAppReceiver(
  env: Env,
  stores: Stores,
  onDelivery?: (report: DeliveryReport) => void,
): { receiver: Receiver; api: VideosClient | undefined } {
  const api = env.apiKey
    ? createVideosClient({ apiKey: env.apiKey, ...(env.baseUrl ? { baseUrl: env.baseUrl } : {}) })
    : undefined;
  const receiver = createReceiver({
    secret: env.secrets,
    toleranceSeconds: env.toleranceSeconds,
    ...(api ? { api } : {}),
    ...(onDelivery ? { onDelivery } : {}),
    ...(stores.transactional ? { stores: stores.transactional } : {}),
    ...(env.processing === 'inbox' && stores.inbox ? { inbox: stores.inbox } : {}),
  });
  const { events } = stores;
  // Your business logic goes here; this one records each processed event once. With PGlite or
  // PostgreSQL, `tx` is the delivery's transaction: your own writes through it commit together
  // with the processed mark, the job update and this record, or not at all.
  receiver.onAny(async ({ event, job, delivery, reconciled, conflict, tx }) => {
    await events.append(
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
  return { receiver, api };
}
