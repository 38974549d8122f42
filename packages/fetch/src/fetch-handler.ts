import {
  WebhookError,
  nodeBodyReader,
  readCappedStream,
  toReceiver,
  tooLarge,
  type BodyReader,
  type NodeIncomingRequest,
  type Receiver,
  type ReceiverOptions,
} from '@ai-stats-webhooks/core';

/**
 * A `(Request, env?) => Promise<Response>` handler that also exposes its receiver, for `.on()`.
 * `env` is the runtime's second argument (a Worker's env, Hono's `c.env`); the handler only looks
 * at it for `@hono/node-server`'s Node bindings.
 */
export interface FetchWebhookHandler {
  (request: Request, env?: unknown): Promise<Response>;
  readonly receiver: Receiver;
}

/**
 * A Fetch API webhook handler, `(Request) => Promise<Response>`, for Cloudflare Workers, Bun,
 * Deno, Hono, Vercel Edge and Node. On edge runtimes the package resolves to the WebCrypto
 * provider by itself.
 *
 * @example
 * ```ts
 * const handler = createFetchHandler({ secret: env.AI_STATS_WEBHOOK_SECRET });
 * handler.receiver.on('video.completed', ({ job }) => console.log(job.id));
 * export default { fetch: handler }; // Workers / Bun / Deno.serve(handler)
 * app.all('/webhooks/ai-stats', (c) => handler(c.req.raw, c.env)); // Hono, any runtime
 * ```
 *
 * On Node behind `@hono/node-server`, `env` carries Node's own request (`{ incoming }`): the
 * handler then reads the headers and body from it directly, which skips building a web stream
 * and an AbortSignal for the Request (most of what a Hono request costs on Node). Pass `c.env`
 * from Hono; `serve({ fetch: handler })` passes it by itself.
 */
export function createFetchHandler(receiverOrOptions: Receiver | ReceiverOptions): FetchWebhookHandler {
  const receiver = toReceiver(receiverOrOptions);
  const handler = async (request: Request, env?: unknown): Promise<Response> => {
    const incoming = nodeIncoming(env);
    const result = await receiver.handle(
      incoming === undefined
        ? { method: request.method, headers: request.headers, rawBody: bodyReader(request) }
        : { method: request.method, headers: incoming.headers, rawBody: nodeBodyReader(incoming) },
    );
    return new Response(result.body, { status: result.status, headers: result.headers });
  };
  return Object.assign(handler, { receiver });
}

/**
 * Reads a Request body as bytes, stopping (and cancelling the stream) as soon as it passes the
 * limit, so an oversized body is never buffered whole, or when the receiver stops waiting for it
 * (`bodyTimeoutMs`, through `signal`).
 *
 * @example
 * ```ts
 * const bytes = await bodyReader(request)(1024 * 1024);
 * ```
 */
export function bodyReader(request: Request): BodyReader {
  const declared = Number(request.headers.get('content-length') ?? Number.NaN);
  // With a declared length (what the sender always sends), the read stops at that length, so even
  // a Request built in process whose stream never ends is cut there. The reader declares no signal,
  // so the receiver makes no AbortController for it (a runtime's HTTP server ends the body at its
  // Content-Length anyway).
  if (Number.isInteger(declared) && declared >= 0) {
    return async (limit) => {
      checkUnread(request);
      if (declared > limit) throw tooLarge(limit, declared);
      if (request.body === null) return new Uint8Array(0);
      const bytes = await readCappedStream(request.body, declared);
      if (bytes === undefined) throw longerThanDeclared(declared);
      return bytes;
    };
  }
  // Chunked: read chunk by chunk, stop at the limit, cancel the stream when the receiver gives up.
  return async (limit, signal) => {
    checkUnread(request);
    return request.body === null ? new Uint8Array(0) : readChunks(request.body, limit, signal);
  };
}

function longerThanDeclared(declared: number): WebhookError {
  return new WebhookError(
    'payload_too_large',
    `Expected the body to end at its Content-Length of ${declared} bytes, found more. The request was built or altered wrongly; nothing was processed.`,
  );
}

function checkUnread(request: Request): void {
  if (request.bodyUsed) {
    throw new WebhookError(
      'body_already_parsed',
      'Expected an unread Request body, found it already consumed (request.json() or request.text() ran first). Pass the original Request to the handler, or a clone.',
    );
  }
}

async function readChunks(
  body: ReadableStream<Uint8Array>,
  limit: number,
  signal: AbortSignal | undefined,
): Promise<Uint8Array> {
  const bytes = await readCappedStream(body, limit, signal);
  if (bytes === undefined) throw tooLarge(limit);
  return bytes;
}

// @hono/node-server hands `{ incoming, outgoing }` (Node's request and response) as env.
function nodeIncoming(env: unknown): NodeIncomingRequest | undefined {
  const incoming = (env as { incoming?: unknown } | null | undefined)?.incoming as
    { headers?: unknown; rawHeaders?: unknown; on?: unknown } | undefined;
  return typeof incoming === 'object' &&
    incoming !== null &&
    typeof incoming.on === 'function' &&
    typeof incoming.headers === 'object' &&
    Array.isArray(incoming.rawHeaders)
    ? (incoming as NodeIncomingRequest)
    : undefined;
}
