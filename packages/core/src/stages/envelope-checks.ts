import { EVENT_PHASES, type JobKind } from '../wire/schemas';

// The parse stage's fast path. Bench row "receiver: receiver.handle() (memory stores)": 5.0–6.1 %
// faster than running the zod check on every delivery (3 paired runs). These plain checks only
// ever say "valid": when one fails, the parse stage runs the zod check, whose issues make the 400
// message, so what a sender reads never depends on this file. Each check here is at least as
// strict as its zod rule in wire/schemas.ts (`eventChecks`); when a rule changes there, change it
// here too (test/envelope-checks.test.ts runs both on the same mutated bodies).

type Fields = Record<string, unknown>;

const PHASES: ReadonlySet<string> = new Set(EVENT_PHASES);
const VIDEO_TEXT = ['lifecycle_status', 'provider', 'model', 'content_url', 'download_url', 'created_at', 'updated_at'];
const BATCH_TEXT = [
  'lifecycle_status',
  'provider',
  'model',
  'output_file_id',
  'error_file_id',
  'created_at',
  'updated_at',
];
const UPSTREAM_TEXT = ['code', 'type', 'message', 'description', 'param'];
const COUNTS = ['total', 'completed', 'failed'];

const isObject = (value: unknown): value is Fields =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const isCount = (value: unknown, min: number): boolean => Number.isSafeInteger(value) && (value as number) >= min;
const isText = (value: unknown, min: number, max: number): boolean =>
  typeof value === 'string' && value.length >= min && value.length <= max;
const optionalText = (value: unknown): boolean => value === undefined || value === null || typeof value === 'string';
const optionalNumber = (value: unknown): boolean => value === undefined || value === null || isNumber(value);
const optional = (value: unknown, check: (value: Fields) => boolean): boolean =>
  value === undefined || value === null || (isObject(value) && check(value));
const allText = (fields: Fields, names: readonly string[]): boolean =>
  names.every((name) => optionalText(fields[name]));

/**
 * True when `record` certainly passes the envelope check of its kind (`eventChecks[kind]`); false
 * when it may not, and zod must decide.
 *
 * @example
 * ```ts
 * if (!passesEnvelopeChecks(record, 'video')) eventChecks.video.parse(record); // zod's message
 * ```
 */
export function passesEnvelopeChecks(record: Fields, kind: JobKind): boolean {
  const { type, delivery } = record;
  return (
    typeof type === 'string' &&
    type.startsWith(`${kind}.`) &&
    PHASES.has(type.slice(kind.length + 1)) &&
    isText(record.id, 1, 512) &&
    isCount(record.created_at, 0) &&
    isObject(delivery) &&
    isText(delivery.key, 1, 512) &&
    isCount(delivery.attempt, 1) &&
    isCount(delivery.max_attempts, 1) &&
    optional(record.status_change, statusChangeOk) &&
    isObject(record.data) &&
    dataOk(record.data, kind)
  );
}

function statusChangeOk(change: Fields): boolean {
  const { previous_status: previous, status } = change;
  return (previous === null || typeof previous === 'string') && (status === null || typeof status === 'string');
}

function dataOk(data: Fields, kind: JobKind): boolean {
  return (
    isText(data.id, 1, Number.POSITIVE_INFINITY) &&
    (data.object === undefined || data.object === kind) &&
    (data.kind === undefined || data.kind === kind) &&
    typeof data.status === 'string' &&
    optionalNumber(data.progress) &&
    allText(data, kind === 'video' ? VIDEO_TEXT : BATCH_TEXT) &&
    (kind === 'batch' || optionalNumber(data.expires_at)) &&
    (kind === 'video' || optional(data.request_counts, (counts) => COUNTS.every((name) => isNumber(counts[name])))) &&
    optional(data.upstream_error, upstreamErrorOk)
  );
}

function upstreamErrorOk(error: Fields): boolean {
  return allText(error, UPSTREAM_TEXT) && optionalNumber(error.status);
}
