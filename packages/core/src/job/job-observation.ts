import { isTerminal, normalizeStatus, statusRank, type JobStatus } from './job-status';
import type { JobFailure, JobObservation, JobSource, JobState } from './job-state-machine';
import type { BatchObject, JobKind, VideoObject, WebhookEvent } from '../wire/schemas';
import { WebhookError } from '../errors/webhook-error';
import { dedupeKeyOf } from '../dedupe/dedupe-key';
import { eventKind } from '../wire/event-kind';

/** Why a delivery and the local state (or the delivery and itself) disagree. */
export type ConflictReason = 'backwards' | 'terminal_mismatch' | 'contradiction';

/** What a delivery says about its job, and whether it contradicts itself. */
export interface EventReading {
  readonly observation: JobObservation;
  /** The type (what happened) and `data.status` (the state at send time) disagree. */
  readonly contradiction: boolean;
}

/**
 * Reads what an event says about its job. The event *type* (and `status_change`) says what
 * happened; `data` is the state when the attempt was sent, which can be newer. The later of the
 * two is observed; a `data` that is behind its own type, or names another terminal state, is a
 * contradiction.
 *
 * @example
 * ```ts
 * const { observation } = readEvent(event); // { status: 'completed', progress: 100, … }
 * ```
 */
export function readEvent(event: WebhookEvent): EventReading {
  const kind = eventKind(event.type);
  const phase = event.type.slice(kind.length + 1);
  const data = event.data;
  const dataStatus = normalizeStatus(data.status);
  const typeStatus = impliedStatus(phase, event.status_change?.status);

  let status: JobStatus;
  let contradiction = false;
  if (kind === 'batch' && phase === 'failed' && dataStatus === 'expired') {
    // The sender reports an expired batch as batch.failed with data.status "expired" (spec §5).
    status = 'expired';
  } else if (typeStatus !== undefined && dataStatus !== undefined) {
    contradiction =
      statusRank(dataStatus) < statusRank(typeStatus) || (isTerminal(typeStatus) && dataStatus !== typeStatus);
    status = contradiction ? typeStatus : dataStatus;
  } else {
    status = typeStatus ?? dataStatus ?? 'queued';
  }

  const failure = failureOf(data.upstream_error);
  const observation: JobObservation = {
    id: data.id,
    kind,
    status,
    progress: data.progress,
    source: 'webhook',
    eventId: dedupeKeyOf(event),
    ...(kind === 'video' && 'content_url' in data
      ? {
          output: {
            contentUrl: (data.content_url as string | null | undefined) ?? null,
            downloadUrl: (data.download_url as string | null | undefined) ?? null,
            expiresAt: (data.expires_at as number | null | undefined) ?? null,
          },
        }
      : {}),
    ...(failure ? { failure } : {}),
  };
  return { observation, contradiction };
}

function impliedStatus(phase: string, statusChange: string | null | undefined): JobStatus | undefined {
  switch (phase) {
    case 'created':
      return 'queued';
    case 'progress':
      return 'processing';
    case 'status_changed':
      return normalizeStatus(statusChange);
    case 'completed':
    case 'failed':
    case 'cancelled':
    case 'expired':
      return phase;
    default:
      return undefined;
  }
}

/**
 * Says whether a delivery's reading disagrees with the stored job: it would move the job
 * backwards, it names another terminal state, or it contradicts itself. Undefined when they agree.
 *
 * @example
 * ```ts
 * findConflict(storedCompletedJob, readEvent(lateProgressEvent)); // 'backwards'
 * ```
 */
export function findConflict(current: JobState | undefined, reading: EventReading): ConflictReason | undefined {
  if (reading.contradiction) return 'contradiction';
  if (current === undefined) return undefined;
  const observed = reading.observation.status;
  if (isTerminal(current.status) && isTerminal(observed) && observed !== current.status) return 'terminal_mismatch';
  if (statusRank(observed) < statusRank(current.status)) return 'backwards';
  return undefined;
}

/**
 * Turns the API's answer into an authoritative observation (source `reconcile`).
 *
 * @example
 * ```ts
 * const observation = readApiObject('video', await api.getVideo(id));
 * ```
 */
export function readApiObject(
  kind: JobKind,
  object: VideoObject | BatchObject,
  source: JobSource = 'reconcile',
): JobObservation {
  const status = normalizeStatus(object.status);
  if (status === undefined) {
    throw new WebhookError(
      'api_invalid_response',
      `Expected a known status from the ${kind} API, found ${JSON.stringify(object.status)}.`,
    );
  }
  const output = kind === 'video' ? videoOutput(object as VideoObject) : undefined;
  const failure = kind === 'video' ? failureOf((object as VideoObject).error) : undefined;
  return {
    id: object.id,
    kind,
    status,
    progress: object.progress,
    source,
    authoritative: source === 'reconcile',
    ...(output ? { output } : {}),
    ...(failure ? { failure } : {}),
  };
}

function videoOutput(video: VideoObject): JobObservation['output'] {
  const first = video.outputs?.[0];
  const contentUrl = video.content_url ?? first?.content_url ?? null;
  const downloadUrl = video.download_url ?? first?.download_url ?? null;
  if (contentUrl === null && downloadUrl === null) return undefined;
  return { contentUrl, downloadUrl, expiresAt: video.expires_at ?? first?.expires_at ?? null };
}

function failureOf(error: unknown): JobFailure | undefined {
  if (error === null || error === undefined) return undefined;
  if (typeof error === 'string') return { code: null, message: error };
  if (typeof error === 'object') {
    const e = error as Record<string, unknown>;
    const text = (v: unknown): string | null => (typeof v === 'string' ? v : null);
    return { code: text(e.code), message: text(e.message) ?? text(e.description) };
  }
  return undefined;
}
