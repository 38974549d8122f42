import {
  WebhookError,
  toReceiver,
  tooLarge,
  type BodyReader,
  type Receiver,
  type ReceiverOptions,
} from '@ai-stats-webhooks/core';

/** A `(Request) => Promise<Response>` handler that also exposes its receiver, for `.on()`. */
export interface FetchWebhookHandler {
  (request: Request): Promise<Response>;
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
 * ```
 */
export function createFetchHandler(receiverOrOptions: Receiver | ReceiverOptions): FetchWebhookHandler {
  const receiver = toReceiver(receiverOrOptions);
  const handler = async (request: Request): Promise<Response> => {
    const result = await receiver.handle({
      method: request.method,
      headers: request.headers,
      rawBody: bodyReader(request),
    });
    return new Response(result.body, { status: result.status, headers: result.headers });
  };
  return Object.assign(handler, { receiver });
}

/**
 * Reads a Request body as bytes, stopping (and cancelling the stream) as soon as it passes the
 * limit, so an oversized body is never buffered whole.
 *
 * @example
 * ```ts
 * const bytes = await bodyReader(request)(1024 * 1024);
 * ```
 */
export function bodyReader(request: Request): BodyReader {
  return async (limit) => {
    if (request.bodyUsed) {
      throw new WebhookError(
        'body_already_parsed',
        'Expected an unread Request body, found it already consumed (request.json() or request.text() ran first). Pass the original Request to the handler, or a clone.',
      );
    }
    const declared = Number(request.headers.get('content-length') ?? Number.NaN);
    if (declared > limit) throw tooLarge(limit, declared);
    if (request.body === null) return new Uint8Array(0);
    // With a declared length within the limit the runtime's own reader is the fast path; the
    // receiver still checks the size it got. Without one (chunked), read chunk by chunk and stop
    // at the limit.
    if (Number.isInteger(declared)) return new Uint8Array(await request.arrayBuffer());
    const reader = request.body.getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limit) {
        await reader.cancel().catch(() => undefined);
        throw tooLarge(limit);
      }
      chunks.push(value);
    }
    if (chunks.length === 1) return chunks[0]!;
    const body = new Uint8Array(size);
    let offset = 0;
    for (const chunk of chunks) {
      body.set(chunk, offset);
      offset += chunk.byteLength;
    }
    return body;
  };
}
