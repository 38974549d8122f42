import type { HeaderPrefix } from '@ai-stats-webhooks/core';

/** The options of `signDelivery`, checked: the exact body text, the timestamp string, the prefix. */
export interface SignInput {
  readonly secret: string;
  /** The exact bytes to POST, as a string (UTF-8 on the wire). */
  readonly body: string;
  /** The body as an object, when it was given as one or is JSON; for the event headers. */
  readonly parsed: unknown;
  readonly timestamp: string;
  readonly prefix: HeaderPrefix;
}

const EXAMPLE = "signDelivery({ secret: 'whsec_…', body: createDelivery({ type: 'video.completed' }) })";

/**
 * Checks the options of `signDelivery`: a non-empty secret, a body (an event object, a string, or
 * UTF-8 bytes signed as they are), whole Unix seconds, the `phaseo` or `ai-stats` prefix. Bad input
 * throws a `TypeError` or `RangeError` saying what was expected, what was found and the fix.
 *
 * @example
 * ```ts
 * readSignOptions({ secret: 's', body: Buffer.from('{"a":1}') }).body; // '{"a":1}'
 * ```
 */
export function readSignOptions(options: unknown): SignInput {
  if (typeof options !== 'object' || options === null)
    fail(TypeError, 'an options object { secret, body }', options, `pass one, e.g. ${EXAMPLE}.`);
  const o = options as { secret?: unknown; body?: unknown; timestamp?: unknown; prefix?: unknown };
  const { body, parsed } = readBody(o.body);
  return {
    secret: readSecret(o.secret),
    body,
    parsed,
    timestamp: readTimestamp(o.timestamp),
    prefix: readPrefix(o.prefix),
  };
}

function fail(kind: ErrorConstructor, expected: string, found: unknown, fix: string): never {
  throw new kind(`signDelivery: expected ${expected}, found ${show(found)}. Fix: ${fix}`);
}

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (ArrayBuffer.isView(value)) return `${value.byteLength} bytes (${value.constructor.name})`;
  return Array.isArray(value) ? 'an array' : String(value);
}

function readSecret(secret: unknown): string {
  if (typeof secret === 'string' && secret.trim().length > 0) return secret;
  return fail(
    TypeError,
    "options.secret to be the endpoint's signing secret (a non-empty string such as 'whsec_…')",
    secret,
    'pass { secret } (signDelivery reads no environment variable; in a test, e.g. process.env.AI_STATS_WEBHOOK_SECRET).',
  );
}

// Bytes are signed as they are: decoded strictly, so the returned string encodes back to them.
function readBody(body: unknown): { body: string; parsed: unknown } {
  if (typeof body === 'string') return { body, parsed: safeParse(body) };
  if (ArrayBuffer.isView(body) || body instanceof ArrayBuffer) {
    const text = decode(body);
    return { body: text, parsed: safeParse(text) };
  }
  if (body === undefined || typeof body === 'function' || typeof body === 'symbol' || typeof body === 'bigint')
    fail(TypeError, 'options.body to be an event object, a string or bytes', body, `pass the body, e.g. ${EXAMPLE}.`);
  return { body: JSON.stringify(body), parsed: body };
}

function decode(bytes: ArrayBufferView | ArrayBuffer): string {
  const view = bytes instanceof ArrayBuffer ? new Uint8Array(bytes) : bytes;
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(view);
  } catch {
    return fail(
      TypeError,
      'options.body bytes to be UTF-8 (the sender sends UTF-8 JSON)',
      view,
      'pass the JSON bytes as the sender makes them (Buffer.from(JSON.stringify(event))), or the event object.',
    );
  }
}

function readTimestamp(timestamp: unknown): string {
  if (timestamp === undefined) return String(Math.floor(Date.now() / 1000));
  if (typeof timestamp === 'number' && Number.isInteger(timestamp) && timestamp >= 0 && timestamp < 1e11)
    return String(timestamp);
  const ms = typeof timestamp === 'number' && timestamp >= 1e11;
  return fail(
    typeof timestamp === 'number' ? RangeError : TypeError,
    'options.timestamp in whole Unix seconds (an integer from 0 to 1e11), as the sender sends',
    timestamp,
    ms
      ? 'that looks like milliseconds: pass Math.floor(ms / 1000).'
      : 'pass e.g. Math.floor(Date.now() / 1000), or leave it out for now.',
  );
}

function readPrefix(prefix: unknown): HeaderPrefix {
  if (prefix === undefined) return 'phaseo';
  if (prefix === 'phaseo' || prefix === 'ai-stats') return prefix;
  return fail(
    RangeError,
    "options.prefix to be 'phaseo' (G3+, x-phaseo-*) or 'ai-stats' (G0–G2, x-ai-stats-*)",
    prefix,
    "use one of those, or leave it out for 'phaseo'.",
  );
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
