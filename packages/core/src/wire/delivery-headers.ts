import { z } from 'zod';

/**
 * Headers as any runtime hands them over: a Fetch `Headers`, Node's `IncomingHttpHeaders`, a
 * plain record in any case, or an iterable of `[name, value]` pairs.
 */
export type HeadersInput =
  Headers | { readonly [name: string]: string | readonly string[] | undefined } | Iterable<readonly [string, string]>;

/** The two header generations: `x-phaseo-*` (G3+) and `x-ai-stats-*` (G0–G2). */
export type HeaderPrefix = 'phaseo' | 'ai-stats';

/**
 * The delivery headers the kit reads, taken from one prefix only (`x-phaseo-` when any of its
 * signing headers is present, else `x-ai-stats-`), never mixed.
 */
export interface DeliveryHeaders {
  readonly prefix: HeaderPrefix;
  readonly timestamp: string | undefined;
  readonly signature: string | undefined;
  readonly eventId: string | undefined;
  readonly eventType: string | undefined;
  readonly deliveryKey: string | undefined;
  readonly attempt: string | undefined;
  readonly maxAttempts: string | undefined;
  readonly contentType: string | undefined;
}

const FIELDS = {
  timestamp: 'timestamp',
  signature: 'signature',
  'event-id': 'eventId',
  'event-type': 'eventType',
  'delivery-key': 'deliveryKey',
  attempt: 'attempt',
  'max-attempts': 'maxAttempts',
} as const;
type Field = (typeof FIELDS)[keyof typeof FIELDS];
const FIELD_LIST = Object.values(FIELDS);

/**
 * Reads the delivery headers in one pass, case-insensitively, whatever shape they come in.
 *
 * @example
 * ```ts
 * const h = readDeliveryHeaders(request.headers);
 * h.prefix; // 'phaseo'
 * h.signature; // '9f2c…'
 * ```
 */
export function readDeliveryHeaders(input: HeadersInput): DeliveryHeaders {
  if (!isFetchHeaders(input) && !isIterable(input)) {
    // Node's IncomingHttpHeaders has lower-case keys: when a signing header is found that way,
    // direct lookups replace a scan of every header.
    const record = input as { readonly [name: string]: HeaderValue };
    const names =
      record[PHASEO.signature] !== undefined || record[PHASEO.timestamp] !== undefined
        ? PHASEO
        : record[AI_STATS.signature] !== undefined || record[AI_STATS.timestamp] !== undefined
          ? AI_STATS
          : undefined;
    if (names !== undefined) return fromRecord(record, names);
  }
  const phaseo: Partial<Record<Field, string>> = {};
  const aiStats: Partial<Record<Field, string>> = {};
  let contentType: string | undefined;

  const visit = (name: string, value: string): void => {
    const lower = name.toLowerCase();
    if (lower.startsWith('x-phaseo-')) take(phaseo, lower.slice(9), value);
    else if (lower.startsWith('x-ai-stats-')) take(aiStats, lower.slice(11), value);
    else if (lower === 'content-type') contentType = value;
  };

  if (isFetchHeaders(input)) {
    // Each Headers.get() costs a lookup with name normalisation: pick the prefix from the two
    // signing headers, then read only that prefix's names.
    const names =
      input.has(PHASEO.signature) || input.has(PHASEO.timestamp)
        ? PHASEO
        : input.has(AI_STATS.signature) || input.has(AI_STATS.timestamp)
          ? AI_STATS
          : undefined;
    if (names !== undefined) {
      const into = names === PHASEO ? phaseo : aiStats;
      for (const field of FIELD_LIST) {
        const value = input.get(names[field]);
        if (value !== null) into[field] = value;
      }
    }
    contentType = input.get('content-type') ?? undefined;
  } else if (isIterable(input)) {
    for (const [name, value] of input) visit(name, value);
  } else {
    // Other records (any case) are scanned; Node's lower-case ones took the fast path above.
    const record = input as { readonly [name: string]: HeaderValue };
    for (const name in record) {
      const value = record[name];
      if (value !== undefined) visit(name, joined(value)!);
    }
  }

  const usePhaseo = phaseo.signature !== undefined || phaseo.timestamp !== undefined;
  const chosen = usePhaseo ? phaseo : aiStats;
  return {
    prefix: usePhaseo ? 'phaseo' : 'ai-stats',
    timestamp: chosen.timestamp,
    signature: chosen.signature,
    eventId: chosen.eventId,
    eventType: chosen.eventType,
    deliveryKey: chosen.deliveryKey,
    attempt: chosen.attempt,
    maxAttempts: chosen.maxAttempts,
    contentType,
  };
}

interface RecordNames {
  readonly prefix: HeaderPrefix;
  readonly timestamp: string;
  readonly signature: string;
  readonly eventId: string;
  readonly eventType: string;
  readonly deliveryKey: string;
  readonly attempt: string;
  readonly maxAttempts: string;
}
// Full lower-case names per prefix, built once (a lookup with a concatenated key would hash a new
// string each time), for the fast paths of Node header records and Fetch Headers.
const recordNames = (prefix: HeaderPrefix): RecordNames => ({
  prefix,
  timestamp: `x-${prefix}-timestamp`,
  signature: `x-${prefix}-signature`,
  eventId: `x-${prefix}-event-id`,
  eventType: `x-${prefix}-event-type`,
  deliveryKey: `x-${prefix}-delivery-key`,
  attempt: `x-${prefix}-attempt`,
  maxAttempts: `x-${prefix}-max-attempts`,
});
const PHASEO = recordNames('phaseo');
const AI_STATS = recordNames('ai-stats');

type HeaderValue = string | readonly string[] | undefined;
// A repeated header is joined like Node joins it, so that it fails format checks instead of
// silently picking one of two values.
const joined = (value: HeaderValue): string | undefined =>
  value === undefined || typeof value === 'string' ? value : value.join(', ');

// Node's lower-case IncomingHttpHeaders: one direct lookup per header, one object built.
function fromRecord(record: { readonly [name: string]: HeaderValue }, n: RecordNames): DeliveryHeaders {
  return {
    prefix: n.prefix,
    timestamp: joined(record[n.timestamp]),
    signature: joined(record[n.signature]),
    eventId: joined(record[n.eventId]),
    eventType: joined(record[n.eventType]),
    deliveryKey: joined(record[n.deliveryKey]),
    attempt: joined(record[n.attempt]),
    maxAttempts: joined(record[n.maxAttempts]),
    contentType: joined(record['content-type']),
  };
}

function take(into: Partial<Record<Field, string>>, suffix: string, value: string): void {
  const field = (FIELDS as Record<string, Field | undefined>)[suffix];
  if (field === undefined) return;
  const previous = into[field];
  into[field] = previous === undefined ? value : `${previous}, ${value}`;
}

function isFetchHeaders(input: HeadersInput): input is Headers {
  return typeof (input as Headers).get === 'function' && typeof (input as Headers).has === 'function';
}

function isIterable(input: HeadersInput): input is Iterable<readonly [string, string]> {
  return typeof (input as Iterable<unknown>)[Symbol.iterator] === 'function';
}

/**
 * zod schema of the unsigned event headers (G2+), as read by {@link readDeliveryHeaders}. They
 * are optional (G0–G1 send none) but, when present, must be well formed and agree with the body.
 *
 * @example
 * ```ts
 * deliveryHeadersSchema.parse(readDeliveryHeaders(headers));
 * ```
 */
export const deliveryHeadersSchema = z.object({
  eventId: z.string().min(1).max(512).optional(),
  eventType: z
    .string()
    .regex(/^[a-z]+\.[a-z_]+$/, 'expected <kind>.<phase>, e.g. video.completed')
    .optional(),
  deliveryKey: z.string().min(1).max(512).optional(),
  attempt: z
    .string()
    .regex(/^[1-9]\d{0,2}$/, 'expected a 1-based decimal attempt number')
    .optional(),
  maxAttempts: z
    .string()
    .regex(/^[1-9]\d{0,2}$/, 'expected a decimal number')
    .optional(),
});
