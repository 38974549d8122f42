import type { DeliveryHeaders } from '../wire/delivery-headers';
import { toBytes, type RawBody } from '../wire/raw-body';
import { tooLarge } from '../errors/too-large';
import { WebhookError, isWebhookError } from '../errors/webhook-error';

/**
 * Reads the body with a byte limit; adapters pass one so the receiver decides when to read. The
 * signal aborts when the receiver stops waiting (`bodyTimeoutMs`); a reader may use it to cancel
 * its stream. It is made only for a reader that declares the parameter (`reader.length >= 2`), so
 * a reader that cannot cancel anything leaves it out and saves the AbortController.
 */
export type BodyReader = (maxBytes: number, signal?: AbortSignal) => Promise<RawBody>;

/** The limits the accept stage enforces. */
export interface AcceptLimits {
  readonly maxBodyBytes: number;
  readonly bodyTimeoutMs: number;
}

const JSON_CONTENT_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

/**
 * The accept stage's first check: only POST (405). Adapters that do not pass a method skip it.
 *
 * @example
 * ```ts
 * checkMethod(request.method); // throws method_not_allowed
 * ```
 */
export function checkMethod(method: string | undefined): void {
  if (method !== undefined && method !== 'POST' && method.toUpperCase() !== 'POST') {
    throw new WebhookError('method_not_allowed', `Expected POST, found ${method.slice(0, 16)}.`);
  }
}

/**
 * The accept stage's second check: only JSON bodies (415), in UTF-8 (a charset parameter other than
 * UTF-8 is refused: the receiver reads UTF-8 only).
 *
 * @example
 * ```ts
 * checkContentType(readDeliveryHeaders(request.headers)); // throws unsupported_media_type
 * ```
 */
export function checkContentType(headers: DeliveryHeaders): void {
  const type = headers.contentType;
  if (type === undefined || !JSON_CONTENT_TYPE.test(type) || (type.includes(';') && !isUtf8Charset(type))) {
    throw new WebhookError(
      'unsupported_media_type',
      `Expected Content-Type application/json (UTF-8, the only encoding of JSON), found ${type === undefined ? 'none' : JSON.stringify(type.slice(0, 80))}.`,
    );
  }
}

// JSON is UTF-8 (RFC 8259): a charset parameter, when there is one, must say so.
function isUtf8Charset(contentType: string): boolean {
  const charset = CHARSET.exec(contentType)?.[1];
  return charset === undefined || /^"?utf-?8"?$/i.test(charset);
}

const CHARSET = /;\s*charset\s*=\s*("?[^;\s"]*"?)/i;

/**
 * The accept stage's body read: the bytes as given, or read through the adapter's reader, within
 * `maxBodyBytes` (413) and `bodyTimeoutMs` (408: a client that trickles its body cannot hold the
 * connection for Node's 300 s default).
 *
 * @example
 * ```ts
 * const body = await acceptBody(request.rawBody, { maxBodyBytes: 1 << 20, bodyTimeoutMs: 30_000 });
 * ```
 */
export async function acceptBody(raw: RawBody | BodyReader, limits: AcceptLimits): Promise<Uint8Array> {
  const body = typeof raw === 'function' ? await readWithin(raw, limits) : raw;
  const bytes = toBytes(body);
  if (bytes.length > limits.maxBodyBytes) throw tooLarge(limits.maxBodyBytes, bytes.length);
  return bytes;
}

// The read, or body_timeout once `bodyTimeoutMs` has passed. Only a reader that declares the
// `signal` parameter gets one: an AbortController costs 3–8 µs, most of what a streamed delivery
// paid for the timeout (bench row "http: Express 5"; the node reader takes no signal).
async function readWithin(reader: BodyReader, limits: AcceptLimits): Promise<unknown> {
  const controller = reader.length >= 2 ? new AbortController() : undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller?.abort();
      reject(bodyTimeout(limits.bodyTimeoutMs));
    }, limits.bodyTimeoutMs);
  });
  try {
    return await Promise.race([reader(limits.maxBodyBytes, controller?.signal), timeout]);
  } catch (error) {
    if (isWebhookError(error)) throw error;
    throw new WebhookError(
      'body_read_failed',
      'Expected a complete request body, found the stream failed or was aborted.',
      { cause: error },
    );
  } finally {
    clearTimeout(timer);
  }
}

function bodyTimeout(ms: number): WebhookError {
  return new WebhookError(
    'body_timeout',
    `Expected the whole request body within ${ms} ms, found it still arriving. Raise bodyTimeoutMs if your network is that slow.`,
  );
}
