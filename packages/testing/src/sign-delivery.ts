import { computeSignature, type HeaderPrefix } from '@ai-stats-webhooks/core';

/** Options of {@link signDelivery}. */
export interface SignDeliveryOptions {
  readonly secret: string;
  /** An event body (serialised compactly, like the sender) or the exact bytes as a string. */
  readonly body: unknown;
  /** Seconds. Default now. */
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
 * `x-<prefix>-signature` (HMAC-SHA256 hex of `${timestamp}.${body}`).
 *
 * @example
 * ```ts
 * const { headers, body } = await signDelivery({ secret: 'whsec_test', body: createDelivery({ type: 'video.completed', job: { id: 'G-1' } }) });
 * await fetch('http://127.0.0.1:3000/webhooks/ai-stats', { method: 'POST', headers, body });
 * ```
 */
export async function signDelivery(options: SignDeliveryOptions): Promise<SignedDelivery> {
  const prefix = options.prefix ?? 'phaseo';
  const body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
  const p = `x-${prefix}-`;
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': prefix === 'phaseo' ? 'Phaseo-Async-Webhook/1.0' : 'AI-Stats-Async-Webhook/1.0',
  };
  const parsed = typeof options.body === 'string' ? safeParse(body) : options.body;
  if (isEnvelope(parsed)) {
    headers[`${p}event-id`] = parsed.id;
    headers[`${p}event-type`] = parsed.type;
    headers[`${p}delivery-key`] = parsed.delivery.key;
    headers[`${p}attempt`] = String(parsed.delivery.attempt);
    headers[`${p}max-attempts`] = String(parsed.delivery.max_attempts);
  }
  headers[`${p}timestamp`] = timestamp;
  headers[`${p}signature`] = await computeSignature(options.secret, timestamp, body);
  return { headers, body };
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isEnvelope(
  value: unknown,
): value is { id: string; type: string; delivery: { key: string; attempt: number; max_attempts: number } } {
  const v = value as { id?: unknown; type?: unknown; delivery?: { key?: unknown } } | undefined;
  return typeof v?.id === 'string' && typeof v.type === 'string' && typeof v.delivery?.key === 'string';
}
