import type { CryptoProvider } from './crypto/crypto-provider';
import { isHex64, timingSafeEqualHex } from './crypto/crypto-provider';
import { defaultCryptoProvider } from './crypto/default-crypto-provider';
import { readDeliveryHeaders, type DeliveryHeaders, type HeadersInput } from './delivery-headers';
import { WebhookError } from './webhook-error';

/** Default allowed distance between the signed timestamp and now, in either direction. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

/** The exact received bytes (or the same bytes as a string) of a delivery. */
export type RawBody = Uint8Array | string;

/** A clock: milliseconds since the epoch. */
export type Clock = () => number;

/** Options of {@link verifySignature}. */
export interface VerifySignatureOptions {
  /** The exact bytes received. A parsed object cannot be verified. */
  readonly rawBody: RawBody;
  readonly headers: HeadersInput;
  /** One secret, or several during rotation. Each is trimmed; `whsec_` is part of the key. */
  readonly secret: string | readonly string[];
  /** Default {@link DEFAULT_TOLERANCE_SECONDS}; checked in both directions. */
  readonly toleranceSeconds?: number;
  /** Milliseconds since the epoch, or a clock. Default `Date.now`. */
  readonly now?: number | Clock;
  /** Default: `node:crypto` on Node, WebCrypto on edge runtimes. */
  readonly crypto?: CryptoProvider;
}

/** What a successful verification establishes. */
export interface VerifiedDelivery {
  /** The signed timestamp, in seconds. */
  readonly timestamp: number;
  /** Which header generation carried the signature. */
  readonly prefix: DeliveryHeaders['prefix'];
  /** Index of the configured secret that matched (useful to finish a rotation). */
  readonly secretIndex: number;
  /** Every delivery header, read once. */
  readonly headers: DeliveryHeaders;
  /** The body as bytes, as verified. */
  readonly body: Uint8Array;
}

const encoder = new TextEncoder();
// For messages; a lookup instead of building the string on every call.
const HEADER_PREFIX = { phaseo: 'x-phaseo-', 'ai-stats': 'x-ai-stats-' } as const;

/**
 * Computes the sender's signature: lowercase hex HMAC-SHA256 of `${timestamp}.${rawBody}` keyed
 * with the whole (trimmed) secret.
 *
 * @example
 * ```ts
 * const sig = await computeSignature('whsec_test_123', '1781166600', body);
 * ```
 */
export async function computeSignature(
  secret: string,
  timestamp: string | number,
  rawBody: RawBody,
  crypto: CryptoProvider = defaultCryptoProvider,
): Promise<string> {
  const [key] = normalizeSecrets(secret);
  return crypto.hmacSha256Hex(key!, String(timestamp), toBytes(rawBody));
}

/**
 * Verifies a delivery's signature and timestamp. Resolves with what was verified, or rejects
 * with a {@link WebhookError} whose code says exactly what is wrong.
 *
 * @example
 * ```ts
 * const verified = await verifySignature({ rawBody, headers: req.headers, secret: [current, previous] });
 * ```
 */
export function verifySignature(options: VerifySignatureOptions): Promise<VerifiedDelivery> {
  // Not an async function: on Node the work is synchronous, and resolving the result directly
  // saves the extra microtask turns of `return await`.
  try {
    const now = options.now ?? Date.now;
    const verified = verifyDelivery(
      readDeliveryHeaders(options.headers),
      toBytes(options.rawBody),
      normalizeSecrets(options.secret),
      options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS,
      typeof now === 'number' ? now : now(),
      options.crypto ?? defaultCryptoProvider,
    );
    return Promise.resolve(verified); // the same promise when the provider is asynchronous
  } catch (error) {
    return Promise.reject(error);
  }
}

/**
 * The verification core, on headers already read and secrets already normalised. Synchronous
 * when the crypto provider is (Node), so the receiver's hot path creates no promise for it.
 */
export function verifyDelivery(
  headers: DeliveryHeaders,
  body: Uint8Array,
  secrets: readonly string[],
  toleranceSeconds: number,
  nowMs: number,
  crypto: CryptoProvider,
): VerifiedDelivery | Promise<VerifiedDelivery> {
  const p = HEADER_PREFIX[headers.prefix];
  if (headers.timestamp === undefined) {
    throw new WebhookError(
      'missing_timestamp',
      `Expected an ${p}timestamp header (or x-phaseo-timestamp), found none. Unsigned deliveries are rejected; give the job a webhook secret.`,
    );
  }
  if (headers.signature === undefined) {
    throw new WebhookError('missing_signature', `Expected an ${p}signature header, found none.`);
  }
  const stamp = headers.timestamp.trim();
  const timestamp = parseTimestamp(stamp, p);
  const skew = nowMs / 1000 - timestamp;
  if (skew > toleranceSeconds) {
    throw new WebhookError(
      'timestamp_too_old',
      `Expected ${p}timestamp within ${toleranceSeconds}s of now, found ${Math.round(skew)}s old. Check this server's clock; a replayed delivery also looks like this.`,
    );
  }
  if (-skew > toleranceSeconds) {
    throw new WebhookError(
      'timestamp_in_future',
      `Expected ${p}timestamp within ${toleranceSeconds}s of now, found ${Math.round(-skew)}s in the future. Check this server's clock.`,
    );
  }
  const signature = headers.signature.trim();
  if (!isHex64(signature)) {
    const hint = /^(sha256|v1)=/i.test(signature) ? ' without a "sha256=" or "v1=" prefix' : '';
    throw new WebhookError(
      'invalid_signature_format',
      `Expected ${p}signature to be 64 hex characters${hint}, found ${signature.length} characters.`,
    );
  }
  for (let i = 0; i < secrets.length; i++) {
    const digest = crypto.hmacSha256Hex(secrets[i]!, stamp, body);
    if (typeof digest !== 'string')
      return verifyAsync(digest, i, signature, stamp, timestamp, headers, body, secrets, crypto);
    if (timingSafeEqualHex(digest, signature))
      return { timestamp, prefix: headers.prefix, secretIndex: i, headers, body };
  }
  throw mismatch(headers.prefix, secrets.length);
}

// The WebCrypto path: the first digest is already pending; later secrets are tried in order.
async function verifyAsync(
  first: Promise<string>,
  from: number,
  signature: string,
  stamp: string,
  timestamp: number,
  headers: DeliveryHeaders,
  body: Uint8Array,
  secrets: readonly string[],
  crypto: CryptoProvider,
): Promise<VerifiedDelivery> {
  let digest = first;
  for (let i = from; i < secrets.length; i++) {
    if (i > from) digest = Promise.resolve(crypto.hmacSha256Hex(secrets[i]!, stamp, body));
    if (timingSafeEqualHex(await digest, signature))
      return { timestamp, prefix: headers.prefix, secretIndex: i, headers, body };
  }
  throw mismatch(headers.prefix, secrets.length);
}

function mismatch(prefix: DeliveryHeaders['prefix'], count: number): WebhookError {
  return new WebhookError(
    'signature_mismatch',
    `Expected x-${prefix}-signature to match HMAC-SHA256 of "<timestamp>.<raw body>" under one of ${count} configured secret(s); none matched. Check the secret (the whole whsec_… string) and that the body reaches the receiver unparsed.`,
  );
}

function parseTimestamp(value: string, p: string): number {
  if (value.length > 0 && value.length <= 11) {
    let seconds = 0;
    for (let i = 0; i < value.length; i++) {
      const digit = value.charCodeAt(i) - 48;
      if (digit < 0 || digit > 9) {
        seconds = -1;
        break;
      }
      seconds = seconds * 10 + digit;
    }
    if (seconds >= 0) return seconds;
  }
  const hint = /^\d{12,}$/.test(value)
    ? ' It looks like milliseconds.'
    : /^\d{4}-\d\d-\d\d/.test(value)
      ? ' It looks like an ISO date; the sender sends seconds.'
      : '';
  throw new WebhookError(
    'invalid_timestamp',
    `Expected ${p}timestamp to be Unix seconds (digits only), found ${JSON.stringify(value.slice(0, 40))}.${hint}`,
  );
}

/**
 * Trims the configured secrets and drops empty ones; throws `invalid_option` if none is left.
 */
let lastSecretString: string | undefined;
let lastSecrets: readonly string[] = [];

export function normalizeSecrets(secret: string | readonly string[]): readonly string[] {
  // verifySignature is usually called with the same configured secret every time. (Arrays are
  // not cached: a caller may change one in place during a rotation.)
  if (typeof secret === 'string' && secret === lastSecretString) return lastSecrets;
  const list = (typeof secret === 'string' ? [secret] : Array.isArray(secret) ? secret : [])
    .filter((s): s is string => typeof s === 'string')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (list.length === 0) {
    throw new WebhookError(
      'invalid_option',
      'Option "secret": expected a non-empty string or array of strings (the endpoint\'s whsec_… signing secret), found none. Set AI_STATS_WEBHOOK_SECRET or pass { secret }.',
      { details: { option: 'secret' } },
    );
  }
  if (typeof secret === 'string') {
    lastSecretString = secret;
    lastSecrets = list;
  }
  return list;
}

/** The body as bytes; throws `body_already_parsed` when a framework handed over an object. */
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
