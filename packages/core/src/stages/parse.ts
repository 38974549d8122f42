import type { DeliveryHeaders } from '../wire/delivery-headers';
import { dedupeKeyOf } from '../dedupe/dedupe-key';
import { eventKind } from '../wire/event-kind';
import { eventChecks, legacyEventSchema, type LegacyEvent, type WebhookEvent } from '../wire/schemas';
import { WebhookError } from '../errors/webhook-error';
import { isPlainJobId } from '../job/job-id';
import { passesEnvelopeChecks } from './envelope-checks';
import { hasUnstorableText } from '../wire/storable-text';

/** A parsed, schema-checked delivery, with the key it is deduplicated on. */
export interface ParsedDelivery {
  readonly event: WebhookEvent;
  /**
   * {@link dedupeKeyOf} the event: its id, unless the sender cut it or collapsed characters of the
   * job id. A G0–G1 body is given the id a G2+ sender gives the same event, so a legacy and a
   * current delivery of one event share a key.
   */
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
  const { record, text } = parseObject(body);
  if (!('id' in record) && !('delivery' in record)) return parseLegacy(record, text, options.legacy);
  const event = checkEnvelope(record);
  checkHeader(headers, 'event-id', headers.eventId, event.id);
  checkHeader(headers, 'event-type', headers.eventType, event.type);
  checkHeader(headers, 'delivery-key', headers.deliveryKey, event.delivery.key);
  checkHeader(headers, 'attempt', headers.attempt, String(event.delivery.attempt));
  return { event, dedupeKey: dedupeKeyOf(event), legacy: false };
}

// UTF-8, JSON, an object, no "__proto__" key.
function parseObject(body: Uint8Array): { record: Record<string, unknown>; text: string } {
  let text: string;
  try {
    text = decoder.decode(body);
  } catch {
    throw new WebhookError('invalid_json', 'Expected a UTF-8 JSON body, found bytes that are not valid UTF-8.');
  }
  return { record: parseJsonObject(text), text };
}

function parseJsonObject(text: string): Record<string, unknown> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new WebhookError(
      'invalid_json',
      `Expected a JSON body, found ${text.length === 0 ? 'an empty body' : 'invalid JSON'}${cause instanceof RangeError ? ' (nested too deeply)' : ''}.`,
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
  return json as Record<string, unknown>;
}

/**
 * Parses an event the receiver stored after the parse stage (an inbox row's body), with the same
 * checks: JSON, an object, the envelope of its kind and a plain job id; a legacy delivery, stored
 * reshaped into the envelope, its legacy fields, a plain job id and the event id and delivery key it
 * was given. Throws the parse stage's 400 errors (not retryable).
 *
 * @example
 * ```ts
 * const event = parseStoredEvent(entry.body, entry.legacy);
 * ```
 */
export function parseStoredEvent(text: string, legacy: boolean): WebhookEvent {
  const record = parseJsonObject(text);
  if (!legacy) return checkEnvelope(record);
  const stored = checkLegacy(record);
  const delivery = record.delivery as { key?: unknown } | undefined;
  if (typeof record.id !== 'string' || typeof delivery?.key !== 'string') {
    throw new WebhookError(
      'invalid_payload',
      'Expected a stored legacy event to keep the "id" and "delivery.key" the receiver gave it, found them missing or not strings.',
    );
  }
  checkJobId(stored.data.id);
  checkStorable(record.id, 'id');
  checkStorable(delivery.key, 'delivery.key');
  return record as unknown as WebhookEvent;
}

// The envelope schema for the event's kind; the job id must be a plain token (it reaches URLs).
function checkEnvelope(record: Record<string, unknown>): WebhookEvent {
  const kind = eventKind(record.type);
  if (!passesEnvelopeChecks(record, kind)) {
    const result = eventChecks[kind].safeParse(record);
    if (!result.success) {
      throw new WebhookError(
        'invalid_payload',
        `Expected an AI Stats event envelope, found ${describeIssues(result.error.issues)}.`,
      );
    }
  }
  // The check passed; the original object keeps every undeclared field (see eventChecks).
  const event = record as unknown as WebhookEvent;
  checkJobId(event.data.id);
  checkStorable(event.id, 'id');
  checkStorable(event.delivery.key, 'delivery.key');
  return event;
}

// The event id dedupes the delivery: stored with U+FFFD in place of such text, it would not be
// the id that was sent.
function checkStorable(value: string, field: string): void {
  if (!hasUnstorableText(value)) return;
  throw new WebhookError(
    'invalid_payload',
    `Expected ${field} to be text without U+0000 or unpaired surrogates, found ${JSON.stringify(value.slice(0, 80))}.`,
  );
}

function checkJobId(id: unknown): void {
  if (isPlainJobId(id)) return;
  throw new WebhookError(
    'invalid_payload',
    `Expected data.id to be a plain job id such as G-01KA7Q3M9V2X5C8B4N6D1F0H7J, found ${JSON.stringify(String(id).slice(0, 80))}.`,
  );
}

function checkLegacy(record: Record<string, unknown>): LegacyEvent {
  const result = legacyEventSchema.safeParse(record);
  if (result.success) return result.data;
  throw new WebhookError(
    'invalid_payload',
    `Expected a legacy {type, created_at, data} body, found ${describeIssues(result.error.issues)}.`,
  );
}

function parseLegacy(record: Record<string, unknown>, text: string, mode: 'reject' | 'accept'): ParsedDelivery {
  if (mode === 'reject') {
    throw new WebhookError(
      'legacy_delivery',
      'Expected a G2+ event with "id" and "delivery", found a legacy (G0–G1) body without an event id. Legacy deliveries ended in mid-2026; to accept them anyway, create the receiver with { legacy: "accept" }.',
    );
  }
  const legacy = checkLegacy(record);
  checkJobId(legacy.data.id);
  const deliveryKey = legacyDeliveryKey(legacy, text);
  const id = eventIdFor(eventKind(legacy.type), legacy.data.id, deliveryKey);
  // A legacy body is reshaped into the G2 envelope so that the rest of the pipeline is the same.
  const event = {
    ...legacy,
    id,
    created_at: legacy.created_at ?? 0,
    delivery: { key: deliveryKey, attempt: 1, max_attempts: 4 },
    data: { status: '', ...legacy.data },
  } as unknown as WebhookEvent;
  return { event, dedupeKey: dedupeKeyOf(event), legacy: true };
}

/**
 * The delivery key the G2+ sender gives a G0–G1 event, so that its event id (spec §4) is the one the
 * same event has as a current body: the type (`video.completed`), or `<kind>.progress:<bucket>`
 * for a progress reading `0 < data.progress < 100`. A body with no such key (progress without a
 * usable `data.progress`, `status_changed`) gets `<type>:legacy:<created_at>:<hash of the body>`:
 * an identical body delivered twice counts once and distinct ones never collapse, but a sender
 * retry of it (a new `created_at`) is processed again.
 */
function legacyDeliveryKey(legacy: LegacyEvent, text: string): string {
  const [kind, phase] = legacy.type.split('.') as [string, string];
  if (phase !== 'progress' && phase !== 'status_changed') return legacy.type;
  const p = legacy.data.progress;
  if (phase === 'progress' && typeof p === 'number' && p > 0 && p < 100) return `${kind}.progress:${progressBucket(p)}`;
  return `${legacy.type}:legacy:${legacy.created_at ?? 'none'}:${hash53(text)}`;
}

// Spec §4, as the sender computes it (JS rounding: .5 rounds up).
function progressBucket(p: number): number {
  return Math.min(95, Math.max(5, Math.round(Math.round(p) / 10) * 10));
}

// Spec §4, as the G2+ sender computes the event id.
function eventIdFor(kind: string, jobId: string, deliveryKey: string): string {
  return ['evt', kind, jobId, deliveryKey]
    .join('_')
    .replace(/[^A-Za-z0-9_-]+/g, '_')
    .slice(0, 160);
}

// cyrb53: a fast 53-bit string hash (not cryptographic; it only tells bodies apart).
function hash53(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
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
