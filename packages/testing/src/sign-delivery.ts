import { computeSignature, type HeaderPrefix } from '@ai-stats-webhooks/core';
import { readSignOptions } from './read-sign-options';

/** Options of {@link signDelivery}. */
export interface SignDeliveryOptions {
  /** The endpoint's signing secret (`whsec_…`). Required: signDelivery reads no environment variable. */
  readonly secret: string;
  /**
   * An event body (serialised compactly, like the sender), or the exact bytes: a string, or a
   * `Buffer` / `Uint8Array` of UTF-8, signed as they are.
   */
  readonly body: unknown;
  /** Whole Unix seconds (not milliseconds). Default now. */
  readonly timestamp?: number;
  /** `phaseo` (G3+, default) or `ai-stats` (G0–G2). */
  readonly prefix?: HeaderPrefix;
}

/** A signed delivery: the headers and the exact body to POST. */
export interface SignedDelivery {
  readonly headers: Record<string, string>;
  readonly body: string;
}

/**
 * Signs a delivery the way the AI Stats / Phaseo sender does: compact JSON, `content-type`,
 * `user-agent`, the event headers taken from the body, and `x-<prefix>-timestamp` /
 * `x-<prefix>-signature` (HMAC-SHA256 hex of `${timestamp}.${body}`). Bad input (no secret, a
 * timestamp in milliseconds, an unknown prefix, bytes that are not UTF-8) throws a `TypeError` or
 * `RangeError` saying what was expected, what was found and the fix.
 *
 * @example
 * ```ts
 * const { headers, body } = await signDelivery({ secret: 'whsec_test', body: createDelivery({ type: 'video.completed', job: { id: 'G-1' } }) });
 * await fetch('http://127.0.0.1:3000/webhooks/ai-stats', { method: 'POST', headers, body });
 * ```
 */
export async function signDelivery(options: SignDeliveryOptions): Promise<SignedDelivery> {
  const { secret, body, parsed, timestamp, prefix } = readSignOptions(options);
  const p = `x-${prefix}-`;
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': prefix === 'phaseo' ? 'Phaseo-Async-Webhook/1.0' : 'AI-Stats-Async-Webhook/1.0',
  };
  if (isEnvelope(parsed)) {
    headers[`${p}event-id`] = parsed.id;
    headers[`${p}event-type`] = parsed.type;
    headers[`${p}delivery-key`] = parsed.delivery.key;
    headers[`${p}attempt`] = String(parsed.delivery.attempt);
    headers[`${p}max-attempts`] = String(parsed.delivery.max_attempts);
  }
  headers[`${p}timestamp`] = timestamp;
  headers[`${p}signature`] = await computeSignature(secret, timestamp, body);
  return { headers, body };
}

function isEnvelope(
  value: unknown,
): value is { id: string; type: string; delivery: { key: string; attempt: number; max_attempts: number } } {
  const v = value as { id?: unknown; type?: unknown; delivery?: { key?: unknown } } | undefined;
  return typeof v?.id === 'string' && typeof v.type === 'string' && typeof v.delivery?.key === 'string';
}
