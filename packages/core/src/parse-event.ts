import type { DeliveryHeaders } from './delivery-headers';
import { eventChecks, legacyEventSchema, type LegacyEvent, type WebhookEvent } from './schemas';
import { WebhookError } from './webhook-error';

/** A parsed, schema-checked delivery, with the key it is deduplicated on. */
export interface ParsedDelivery {
  readonly event: WebhookEvent;
  /** The event id, or a synthetic `legacy:` key for G0–G1 bodies. */
  readonly dedupeKey: string;
  readonly legacy: boolean;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Parses verified bytes into an event: UTF-8, JSON, the envelope schema for the event's kind, and
 * agreement between the (unsigned) event headers and the (signed) body.
 *
 * @example
 * ```ts
 * const { event, dedupeKey } = parseDelivery(verified.body, verified.headers, { legacy: 'reject' });
 * ```
 */
export function parseDelivery(
  body: Uint8Array,
  headers: DeliveryHeaders,
  options: { readonly legacy: 'reject' | 'accept' },
): ParsedDelivery {
  let text: string;
  try {
    text = decoder.decode(body);
  } catch {
    throw new WebhookError('invalid_json', 'Expected a UTF-8 JSON body, found bytes that are not valid UTF-8.');
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new WebhookError(
      'invalid_json',
      `Expected a JSON body, found ${body.length === 0 ? 'an empty body' : 'invalid JSON'}${cause instanceof RangeError ? ' (nested too deeply)' : ''}.`,
      { cause },
    );
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new WebhookError(
      'invalid_payload',
      `Expected a JSON object, found ${Array.isArray(json) ? 'an array' : json === null ? 'null' : typeof json}.`,
    );
  }
  // JSON.parse makes "__proto__" an own key, but copying it anywhere later would set a prototype.
  // Checked on the parsed keys, so an escaped spelling ("\u005f_proto__") is caught too.
  if (hasProtoKey(json)) {
    throw new WebhookError(
      'invalid_payload',
      'Expected an AI Stats event body, found a "__proto__" key, which the sender never sends.',
    );
  }
  const record = json as Record<string, unknown>;
  if (!('id' in record) && !('delivery' in record)) return parseLegacy(record, options.legacy);

  const type = typeof record.type === 'string' ? record.type : '';
  const result = (type.startsWith('batch.') ? eventChecks.batch : eventChecks.video).safeParse(json);
  if (!result.success) {
    throw new WebhookError(
      'invalid_payload',
      `Expected an AI Stats event envelope, found ${describeIssues(result.error.issues)}.`,
    );
  }
  // The check passed; the original object keeps every undeclared field (see eventChecks).
  const event = json as WebhookEvent;
  checkHeader(headers, 'event-id', headers.eventId, event.id);
  checkHeader(headers, 'event-type', headers.eventType, event.type);
  checkHeader(headers, 'delivery-key', headers.deliveryKey, event.delivery.key);
  checkHeader(headers, 'attempt', headers.attempt, String(event.delivery.attempt));
  return { event, dedupeKey: event.id, legacy: false };
}

function parseLegacy(record: Record<string, unknown>, mode: 'reject' | 'accept'): ParsedDelivery {
  if (mode === 'reject') {
    throw new WebhookError(
      'legacy_delivery',
      'Expected a G2+ event with "id" and "delivery", found a legacy (G0–G1) body without an event id. Legacy deliveries ended in mid-2026; to accept them anyway, create the receiver with { legacy: "accept" }.',
    );
  }
  const result = legacyEventSchema.safeParse(record);
  if (!result.success) {
    throw new WebhookError(
      'invalid_payload',
      `Expected a legacy {type, created_at, data} body, found ${describeIssues(result.error.issues)}.`,
    );
  }
  const legacy: LegacyEvent = result.data;
  const progress =
    legacy.type.endsWith('.progress') && typeof legacy.data.progress === 'number' ? `:${legacy.data.progress}` : '';
  const key = `legacy:${legacy.type}:${legacy.data.id}${progress}`;
  // A legacy body is reshaped into the G2 envelope so that the rest of the pipeline is the same.
  const event = {
    ...legacy,
    id: key,
    created_at: legacy.created_at ?? 0,
    delivery: { key: `${legacy.type}${progress}`, attempt: 1, max_attempts: 4 },
    data: { status: '', ...legacy.data },
  } as unknown as WebhookEvent;
  return { event, dedupeKey: key, legacy: true };
}

function checkHeader(headers: DeliveryHeaders, name: string, header: string | undefined, body: string): void {
  if (header === undefined || header.trim() === body) return;
  throw new WebhookError(
    'header_mismatch',
    `Expected x-${headers.prefix}-${name} to equal the signed body's value ${JSON.stringify(body.slice(0, 160))}, found ${JSON.stringify(header.slice(0, 160))}. Headers are not signed; this delivery was altered.`,
  );
}

function describeIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  return issues
    .slice(0, 3)
    .map((issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`)
    .join('; ');
}

const hasOwn = Object.prototype.hasOwnProperty;

// Iterative, so a deeply nested body (which JSON.parse accepts) cannot overflow the stack.
function hasProtoKey(root: object): boolean {
  const stack: object[] = [root];
  while (stack.length > 0) {
    const value = stack.pop() as Record<string, unknown> | unknown[];
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const item = value[i];
        if (typeof item === 'object' && item !== null) stack.push(item);
      }
    } else {
      if (hasOwn.call(value, '__proto__')) return true;
      for (const key in value) {
        const item = value[key];
        if (typeof item === 'object' && item !== null) stack.push(item);
      }
    }
  }
  return false;
}
