import type { ServerResponse } from 'node:http';
import type { Receiver, ReceiverOptions } from '@ai-stats-webhooks/core';
import { createNodeHandler, type NodeRequest } from './node-handler';

/** An Express 4 / 5 middleware that also exposes its receiver, for `.on()`. */
export interface ExpressWebhookMiddleware {
  (req: NodeRequest, res: ServerResponse, next: (error?: unknown) => void): void;
  readonly receiver: Receiver;
}

/**
 * Express 4 and 5 middleware for one webhook route. It reads the raw body itself, so mount it on
 * its route before any JSON parser; it answers every request itself and never calls `next()`
 * except for an internal failure to write the response.
 *
 * @example
 * ```ts
 * const webhooks = createExpressMiddleware({ secret: process.env.AI_STATS_WEBHOOK_SECRET! });
 * webhooks.receiver.on('video.completed', async ({ job }) => saveVideo(job));
 * app.all('/webhooks/ai-stats', webhooks); // every method: anything but POST gets 405 with Allow: POST
 * app.use(express.json()); // after
 * ```
 */
export function createExpressMiddleware(receiverOrOptions: Receiver | ReceiverOptions): ExpressWebhookMiddleware {
  const handler = createNodeHandler(receiverOrOptions);
  const middleware = (req: NodeRequest, res: ServerResponse, next: (error?: unknown) => void): void => {
    handler(req, res).catch(next);
  };
  return Object.assign(middleware, { receiver: handler.receiver });
}
