import getRawBody from 'raw-body';
import type { BodyReader } from '../../stages/accept';
import { tooLarge } from '../../errors/too-large';
import { WebhookError } from '../../errors/webhook-error';

/**
 * The parts of a Node.js `IncomingMessage` the body reader uses (typed structurally, so these
 * types do not require `@types/node`), plus what a body parser that ran first may have left.
 */
export interface NodeIncomingRequest {
  readonly headers: { readonly [name: string]: string | readonly string[] | undefined };
  readonly readableEnded: boolean;
  on(event: string, listener: (...args: never[]) => void): unknown;
  /** Left by express.raw() / express.text() (the bytes or their text), or by a JSON parser (an object). */
  readonly body?: unknown;
  /** Set by body-parser once it has read the stream. */
  readonly _body?: boolean;
}

/**
 * A {@link BodyReader} over a Node.js request: raw-body reads the stream as Buffers, stopping as
 * soon as it passes the limit (an oversized body is never buffered whole). Used by the Express
 * and Next.js Pages Router adapters, and by the fetch handler on `@hono/node-server`.
 *
 * @example
 * ```ts
 * http.createServer(async (req, res) => {
 *   const result = await receiver.handle({ method: req.method, headers: req.headers, rawBody: nodeBodyReader(req) });
 *   res.writeHead(result.status, result.headers).end(result.body);
 * });
 * ```
 */
export function nodeBodyReader(req: NodeIncomingRequest): BodyReader {
  return async (limit) => {
    // express.raw() / express.text() leave the exact bytes (or their text) behind: use them.
    if (req.body instanceof Uint8Array || typeof req.body === 'string') return req.body;
    if (req._body === true || req.readableEnded) throw alreadyParsed(req.body);
    try {
      const length = req.headers['content-length'];
      return await getRawBody(
        req as unknown as Parameters<typeof getRawBody>[0],
        typeof length === 'string' ? { limit, length } : { limit },
      );
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
    `Expected to read the raw request body, found it already consumed by another middleware (req.body is ${body === undefined ? 'undefined' : typeof body}). Mount the webhook route before express.json(), or use express.raw({ type: 'application/json', limit: '1mb' }) on it (its default limit is 100 kB, below the receiver's 1 MiB); in a Next.js Pages Router route, export const config = { api: { bodyParser: false } }; in Hono, do not read c.req before the webhook handler.`,
  );
}
