import type { IncomingMessage, ServerResponse } from 'node:http';
import getRawBody from 'raw-body';
import {
  WebhookError,
  tooLarge,
  toReceiver,
  type BodyReader,
  type Receiver,
  type ReceiverOptions,
} from '@ai-stats-webhooks/core';

/** A Node request, possibly with a `body` some earlier middleware left behind. */
export type NodeRequest = IncomingMessage & { body?: unknown; _body?: boolean };

/** A Node `(req, res)` handler that also exposes its receiver, for `.on()`. */
export interface NodeWebhookHandler {
  (req: NodeRequest, res: ServerResponse): Promise<void>;
  readonly receiver: Receiver;
}

/**
 * A plain Node.js `(req, res)` webhook handler: reads the raw body with raw-body (stopping at the
 * receiver's `maxBodyBytes`), runs the receiver, writes its answer. Used by the Express middleware
 * and the Next.js Pages Router helper; works with `http.createServer` as is.
 *
 * @example
 * ```ts
 * const handler = createNodeHandler({ secret: process.env.AI_STATS_WEBHOOK_SECRET! });
 * http.createServer((req, res) => void handler(req, res)).listen(3000);
 * ```
 */
export function createNodeHandler(receiverOrOptions: Receiver | ReceiverOptions): NodeWebhookHandler {
  const receiver = toReceiver(receiverOrOptions);
  const handler = async (req: NodeRequest, res: ServerResponse): Promise<void> => {
    const response = await receiver.handle({ method: req.method, headers: req.headers, rawBody: bodyReader(req) });
    res.statusCode = response.status;
    for (const [name, value] of Object.entries(response.headers)) res.setHeader(name, value);
    res.end(response.body);
  };
  return Object.assign(handler, { receiver });
}

function bodyReader(req: NodeRequest): BodyReader {
  return async (limit) => {
    // express.raw() / express.text() leave the exact bytes (or their text) behind: use them.
    if (Buffer.isBuffer(req.body) || typeof req.body === 'string') return req.body;
    if (req._body === true || req.readableEnded) throw alreadyParsed(req.body);
    try {
      const length = req.headers['content-length'];
      return await getRawBody(req, length === undefined ? { limit } : { limit, length });
    } catch (error) {
      const type = (error as { type?: unknown }).type;
      if (type === 'entity.too.large') throw tooLarge(limit, (error as { length?: number }).length);
      throw error;
    }
  };
}

function alreadyParsed(body: unknown): WebhookError {
  return new WebhookError(
    'body_already_parsed',
    `Expected to read the raw request body, found it already consumed by another middleware (req.body is ${body === undefined ? 'undefined' : typeof body}). Mount the webhook route before express.json(), or use express.raw({ type: 'application/json' }) on it; in a Next.js Pages Router route, export const config = { api: { bodyParser: false } }.`,
  );
}
