import type { Receiver, ReceiverOptions } from '@ai-stats-webhooks/core';
import { createNodeHandler, type NodeWebhookHandler } from '@ai-stats-webhooks/express';

/**
 * A Next.js Pages Router API route (`pages/api/**`). Next parses bodies by default, which makes
 * verification impossible, so the route file must also export
 * `export const config = { api: { bodyParser: false } };` literally (Next reads it statically).
 * If it is missing, every delivery answers 500 with that fix.
 *
 * @example
 * ```ts
 * // pages/api/webhooks/ai-stats.ts
 * export const config = { api: { bodyParser: false } };
 * const handler = createPagesApiHandler({ secret: process.env.AI_STATS_WEBHOOK_SECRET! });
 * handler.receiver.on('video.failed', ({ job }) => alert(job));
 * export default handler;
 * ```
 */
export function createPagesApiHandler(receiverOrOptions: Receiver | ReceiverOptions): NodeWebhookHandler {
  return createNodeHandler(receiverOrOptions);
}
