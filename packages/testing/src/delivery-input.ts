import {
  EVENT_PHASES,
  isPlainJobId,
  PLAIN_JOB_ID_RULE,
  type EventPhase,
  type JobKind,
  type WebhookEventType,
} from '@ai-stats-webhooks/core';
import { DEFAULT_API_BASE_URL, readApiBaseUrl } from './api-base-url';
import { internalStatus, phaseStatus, type MockInternalStatus } from './job-lifecycle';
import { progressBucket } from './progress-bucket';
import { ulid } from './seeded-random';
import { upstreamError, type UpstreamError } from './upstream-error';
import type { DeliveryJobInput } from './create-delivery';

/** A delivery request, checked and completed: what `createDelivery` builds from. */
export interface DeliveryInput {
  readonly kind: JobKind;
  readonly id: string;
  readonly status: MockInternalStatus;
  readonly progress: number | undefined;
  readonly key: string;
  readonly attempt: number;
  readonly createdAt: number;
  readonly statusChange: { readonly previous_status: string | null; readonly status: string | null } | undefined;
  readonly upstreamError: UpstreamError | null | undefined;
  /** The caller's other `job` fields, and its status word when it gave one. */
  readonly fields: Record<string, unknown>;
  /** The API base URL of the payload URLs, without a trailing slash. */
  readonly baseUrl: string;
}

interface Options {
  readonly type: WebhookEventType;
  readonly job?: DeliveryJobInput | undefined;
  readonly attempt?: number | undefined;
  readonly createdAt?: number | undefined;
  readonly statusChange?: { readonly previous: string | null; readonly current: string | null } | undefined;
  readonly baseUrl?: string | undefined;
}

const TYPES = `<video|batch>.<${EVENT_PHASES.join('|')}>`;

/**
 * Checks the options of `createDelivery` and fills in what the sender would: a fresh job id, the
 * type's status, the progress bucket, the delivery key. Bad input throws a `TypeError` or
 * `RangeError` whose message says what was expected, what was found and the likely fix.
 *
 * @example
 * ```ts
 * readDeliveryInput({ type: 'video.progress', job: { progress: 52 } }).key; // 'video.progress:50'
 * ```
 */
export function readDeliveryInput(options: Options): DeliveryInput {
  if (typeof options !== 'object' || options === null)
    fail(TypeError, 'an options object', options, "pass one, e.g. createDelivery({ type: 'video.completed' }).");
  const { kind, phase } = readType(options.type);
  const job = readJob(options.job);
  const statusChange = readStatusChange(options, phase);
  const { id, status, progress, upstream_error: _upstreamError, ...fields } = job;
  const bucket = phase === 'progress' ? readReading(options.type, progress) : undefined;
  const changedTo = statusChange && (internalStatus(statusChange.status) ?? 'in_progress');
  return {
    kind,
    id: readJobId(kind, id),
    status: readStatus(status) ?? changedTo ?? phaseStatus(phase),
    progress: bucket ?? readNumber('options.job.progress', progress, 0, 100, 'data.progress is a percentage.'),
    key: bucket !== undefined ? `${kind}.progress:${bucket}` : changeKey(options.type, statusChange),
    attempt: readNumber('options.attempt', options.attempt, 1, 4, 'the sender makes attempts 1 to 4.', true) ?? 1,
    createdAt: readCreatedAt(options.createdAt),
    statusChange,
    upstreamError: readUpstreamError(kind, job),
    fields: status === undefined ? fields : { ...fields, status },
    baseUrl:
      options.baseUrl === undefined
        ? DEFAULT_API_BASE_URL
        : readApiBaseUrl(options.baseUrl, 'createDelivery', 'options.baseUrl'),
  };
}

function fail(kind: ErrorConstructor, expected: string, found: unknown, fix: string): never {
  throw new kind(`createDelivery: expected ${expected}, found ${show(found)}. Fix: ${fix}`);
}

function show(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

function readType(type: unknown): { kind: JobKind; phase: EventPhase } {
  const [kind, phase, ...rest] = typeof type === 'string' ? type.split('.') : [];
  if (!(kind === 'video' || kind === 'batch') || !EVENT_PHASES.includes(phase as EventPhase) || rest.length > 0)
    return fail(TypeError, `options.type to be ${TYPES}`, type, "pass a wire event type such as 'video.completed'.");
  const refused = kind === 'batch' ? NOT_SENT_FOR_BATCH[phase as EventPhase] : undefined;
  if (refused) fail(TypeError, `a type the sender emits (${refused.why})`, type, refused.fix);
  return { kind, phase: phase as EventPhase };
}

// Batch types the sender never emits (spec §5), and what to send instead.
const NOT_SENT_FOR_BATCH: Readonly<Partial<Record<EventPhase, { why: string; fix: string }>>> = Object.freeze({
  status_changed: {
    why: 'there is no batch status_changed, spec §5',
    fix: "send batch.created, batch.completed, batch.failed or batch.cancelled, or 'video.status_changed' for a video.",
  },
  expired: {
    why: 'an expired batch is sent as batch.failed, spec §5',
    fix: "pass { type: 'batch.failed', job: { status: 'expired' } }: the sender sends batch.failed with data.status 'expired'.",
  },
});

function readJob(job: unknown): DeliveryJobInput {
  if (job === undefined) return {};
  if (typeof job === 'object' && job !== null && !Array.isArray(job)) return job as DeliveryJobInput;
  const fix = typeof job === 'string' ? `pass { id: ${JSON.stringify(job)} }.` : 'pass an object, or leave it out.';
  return fail(TypeError, "options.job to be an object such as { id: 'G-01KA7Q3M9V2X5C8B4N6D1F0H7J' }", job, fix);
}

// The receiver refuses a job id that is not a plain token (isPlainJobId), so it is refused here.
function readJobId(kind: JobKind, id: unknown): string {
  if (id === undefined) return `${kind === 'video' ? 'G-' : 'batch_'}${ulid(Date.now(), Math.random)}`;
  if (isPlainJobId(id)) return id;
  const example = kind === 'video' ? 'G-01KA7Q3M9V2X5C8B4N6D1F0H7J' : 'batch_01KA7ZC3D5E7F9G1H3J5K7M9N1';
  if (typeof id !== 'string' || id === '')
    fail(TypeError, `options.job.id to be a non-empty string such as ${example}`, id, 'leave it out for a fresh id.');
  return fail(
    RangeError,
    `options.job.id to be a plain job id (${PLAIN_JOB_ID_RULE}) such as ${example}, as the receiver requires`,
    id.length > 80 ? `${id.slice(0, 80)}… (${id.length} characters)` : id,
    `use such a token (no "/", "?", "%", spaces or "…"), or leave it out for a fresh id.`,
  );
}

function readStatus(word: unknown): MockInternalStatus | undefined {
  if (word === undefined) return undefined;
  const status = typeof word === 'string' ? internalStatus(word) : undefined;
  if (status !== undefined) return status;
  return fail(
    RangeError,
    'options.job.status to be a status word (queued, pending, processing, in_progress, completed, failed, cancelled, expired)',
    word,
    'use one of those words, or leave it out for the status of the event type.',
  );
}

function readReading(type: string, reading: unknown): number {
  const value = readNumber('options.job.progress', reading, -Infinity, Infinity, 'pass a reading such as 52.') ?? 50;
  const bucket = progressBucket(value);
  if (bucket !== undefined) return bucket;
  const completed = type.replace('progress', 'completed');
  return fail(
    RangeError,
    `a reading with 0 < progress < 100 for ${type}`,
    value,
    `a finished job is sent as ${completed}; pass a reading such as 52 (sent as bucket 50).`,
  );
}

function readNumber(
  name: string,
  value: unknown,
  min: number,
  max: number,
  fix: string,
  integer = false,
): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || Number.isNaN(value)) return fail(TypeError, `${name} to be a number`, value, fix);
  if (value < min || value > max || (integer && !Number.isInteger(value)))
    fail(RangeError, `${name} to be ${integer ? 'an integer' : 'a number'} from ${min} to ${max}`, value, fix);
  return value;
}

function readCreatedAt(createdAt: unknown): number {
  if (createdAt === undefined) return Math.floor(Date.now() / 1000);
  if (typeof createdAt === 'number' && Number.isInteger(createdAt) && createdAt >= 0 && createdAt < 1e11)
    return createdAt;
  return fail(
    RangeError,
    'options.createdAt in Unix seconds (an integer from 0 to 1e11)',
    createdAt,
    'for a time in milliseconds pass Math.floor(ms / 1000).',
  );
}

function readStatusChange(options: Options, phase: EventPhase): DeliveryInput['statusChange'] {
  const change: unknown = options.statusChange;
  if (change === undefined)
    return phase === 'status_changed' ? { previous_status: 'queued', status: 'in_progress' } : undefined;
  if (phase !== 'status_changed')
    fail(
      TypeError,
      'options.statusChange only with a <kind>.status_changed type',
      options.type,
      'drop statusChange, or send a status_changed event.',
    );
  if (typeof change !== 'object' || change === null || Array.isArray(change))
    fail(
      TypeError,
      "options.statusChange to be an object such as { previous: 'queued', current: 'in_progress' }",
      change,
      'pass one, or leave statusChange out for queued → in_progress.',
    );
  const pair = change as { previous?: unknown; current?: unknown };
  return { previous_status: changeWord('previous', pair.previous), status: changeWord('current', pair.current) };
}

/** The sender's internal status words, the only ones status-change keys use (spec §4). */
const INTERNAL_WORDS = ['queued', 'pending', 'in_progress', 'completed', 'failed', 'cancelled', 'expired'];

function changeWord(name: 'previous' | 'current', value: unknown): string | null {
  if (value === null || (typeof value === 'string' && INTERNAL_WORDS.includes(value))) return value;
  const internal = typeof value === 'string' ? internalStatus(value) : undefined;
  const fix = internal
    ? `use the internal word "${internal}" (status-change keys carry internal words only, spec §4).`
    : "use the sender's internal words, e.g. { previous: 'queued', current: 'in_progress' }, or null for none.";
  return fail(
    RangeError,
    `options.statusChange.${name} to be an internal status word (${INTERNAL_WORDS.join(', ')}) or null`,
    value,
    fix,
  );
}

function changeKey(type: string, change: DeliveryInput['statusChange']): string {
  if (change === undefined) return type;
  return `${type}:${change.previous_status || 'unknown'}:${change.status || 'unknown'}`;
}

function readUpstreamError(kind: JobKind, job: DeliveryJobInput): UpstreamError | null | undefined {
  if (!('upstream_error' in job) || job.upstream_error === undefined) return undefined;
  if (job.upstream_error === null) return null;
  if (typeof job.upstream_error === 'object') return upstreamError(kind, job.upstream_error);
  return fail(
    TypeError,
    'options.job.upstream_error to be an object or null',
    job.upstream_error,
    'pass e.g. { message: "Out of credits." }.',
  );
}
