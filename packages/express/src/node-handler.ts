import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  nodeBodyReader,
  toReceiver,
  type BodyReader,
  type RawBody,
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
 * A plain Node.js `(req, res)` webhook handler: reads the raw body with core's `nodeBodyReader`
 * (raw-body, stopping at the receiver's `maxBodyBytes`), runs the receiver, writes its answer.
 * Used by the Express middleware and the Next.js Pages Router helper; works with
 * `http.createServer` as is.
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
    const response = await receiver.handle({ method: req.method, headers: req.headers, rawBody: rawBodyOf(req) });
    // writeHead with the headers object builds the header block in one pass (headers set earlier
    // by other middleware are kept; ours win on a clash).
    res.writeHead(response.status, response.headers).end(response.body);
  };
  return Object.assign(handler, { receiver });
}

// Bytes that express.raw() or express.text() already read go to the receiver as they are (no read,
// no body timer); anything else is read from the stream (which also explains an object a JSON
// parser left behind).
function rawBodyOf(req: NodeRequest): RawBody | BodyReader {
  const { body } = req;
  return body instanceof Uint8Array || typeof body === 'string' ? body : nodeBodyReader(req);
}
