import type { Receiver, ReceiverOptions } from '@ai-stats-webhooks/core';
import { createFetchHandler } from '@ai-stats-webhooks/fetch';

/** An App Router route handler that also exposes its receiver, for `.on()`. */
export interface NextRouteHandler {
  (request: Request, context?: unknown): Promise<Response>;
  readonly receiver: Receiver;
}

/**
 * A Next.js App Router route handler. Export it as `POST` from `app/**\/route.ts`; route
 * handlers receive the unread `Request`, so no body-parser setting is needed. Works on the Node
 * and Edge runtimes.
 *
 * @example
 * ```ts
 * // app/api/webhooks/ai-stats/route.ts
 * export const POST = createRouteHandler({ secret: process.env.AI_STATS_WEBHOOK_SECRET! });
 * POST.receiver.on('video.completed', async ({ job }) => saveVideo(job));
 * ```
 */
export function createRouteHandler(receiverOrOptions: Receiver | ReceiverOptions): NextRouteHandler {
  const handler = createFetchHandler(receiverOrOptions);
  const route = (request: Request): Promise<Response> => handler(request);
  return Object.assign(route, { receiver: handler.receiver });
}
