import { WebhookError } from '../errors/webhook-error';

/** The exact received bytes (or the same bytes as a string) of a delivery. */
export type RawBody = Uint8Array | string;

const encoder = new TextEncoder();

/**
 * The body as bytes; throws `body_already_parsed` when a framework handed over an object.
 *
 * @example
 * ```ts
 * const bytes = toBytes(req.body); // a Buffer or string as received
 * ```
 */
export function toBytes(rawBody: unknown): Uint8Array {
  if (rawBody instanceof Uint8Array) return rawBody;
  // Bytes from another realm (a vm context, Jest, a worker) fail instanceof but are still bytes.
  if (ArrayBuffer.isView(rawBody)) return new Uint8Array(rawBody.buffer, rawBody.byteOffset, rawBody.byteLength);
  if (rawBody instanceof ArrayBuffer) return new Uint8Array(rawBody);
  if (typeof rawBody === 'string') return encoder.encode(rawBody);
  throw new WebhookError(
    'body_already_parsed',
    `Expected the raw request body (bytes or string), found ${rawBody === null ? 'null' : typeof rawBody}. A body parser ran first: mount the webhook route before express.json(), or exclude the route from the parser (Next.js Pages Router: export const config = { api: { bodyParser: false } }).`,
  );
}
