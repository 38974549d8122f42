import type { JobKind } from '@ai-stats-webhooks/core';
import type { MockInternalStatus } from './job-lifecycle';

/** What {@link jobTimeline} needs: the job's status, and when this attempt is sent. */
export interface TimelineInput {
  readonly kind: JobKind;
  readonly status: MockInternalStatus;
  /** Ms: when this attempt is sent. Default now. */
  readonly sentAt?: number | undefined;
  /** The job's creation time (ISO). Default: as long before `sentAt` as the status takes to reach. */
  readonly createdAt?: string | undefined;
  /** 1–4; attempts 2–4 carry the retry telemetry of the attempts before. Default 1. */
  readonly attempt?: number | undefined;
  /** On progress events: the bucket sent, so the previous delivered bucket can be named. */
  readonly progressBucket?: number | undefined;
}

/** The telemetry times of a job's `data` (ISO strings or null), as they stand at send time. */
export interface JobTimeline {
  /** `created_at`, in the database format `2026-08-12T10:00:00.412000+00:00` unless given. */
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly nextWebhookRetryAt: string | null;
  readonly lastWebhookProgress: number | null;
  readonly lastWebhookProgressAt: string | null;
  readonly lastWebhookDispatchedAt: string | null;
  readonly finalizedAt: string | null;
  readonly lastPolledAt: string | null;
  /** Internal words (spec §8.1); null before the first poll. */
  readonly polledStatus: string | null;
}

// Ms after creation, from the spec fixtures: video.created delivered 1.1 s after creation, the
// provider polled as running at 30 s, a video finalised at about 2 min, a batch at about 25 min.
const OFFSETS = {
  video: { dispatched: 1_121, running: 30_459, finalized: 123_706, failed: 64_393 },
  batch: { dispatched: 1_121, running: 600_000, finalized: 1_484_115, failed: 1_484_115 },
} as const;
const RETRY_DELAYS_MS = [60_000, 300_000, 900_000] as const;
const BUCKETS = [5, 10, 20, 30, 40, 50, 60, 70, 80, 90, 95] as const;

/**
 * The times a job's webhook `data` carries at send time, following its lifecycle (spec §6.2,
 * §6.3): nothing polled or finalised while queued, polled while running, finalised when
 * terminal; on attempts 2–4 the retry this attempt is and the attempt before it.
 *
 * @example
 * ```ts
 * jobTimeline({ kind: 'video', status: 'queued' }).lastPolledAt; // null
 * jobTimeline({ kind: 'video', status: 'failed', attempt: 2 }).nextWebhookRetryAt; // '2026-…Z'
 * ```
 */
export function jobTimeline(input: TimelineInput): JobTimeline {
  const sentAt = input.sentAt ?? Date.now();
  const attempt = input.attempt ?? 1;
  const retryWait = RETRY_DELAYS_MS.slice(0, attempt - 1).reduce((sum, ms) => sum + ms, 0);
  const reached = stageOffset(input.kind, input.status);
  const created = input.createdAt === undefined ? sentAt - 1_000 - retryWait - reached : Date.parse(input.createdAt);
  const at = (offset: number) => iso(Math.min(sentAt, created + offset));
  const terminal = !['queued', 'in_progress'].includes(input.status);
  const firstTry = created + reached + 1_000;
  const previousTry = attempt > 1 ? firstTry + retryWait - RETRY_DELAYS_MS[attempt - 2]! : undefined;
  const progress = previousBucket(input.progressBucket);
  const offsets = OFFSETS[input.kind];
  const dispatched = input.kind === 'video' && input.status !== 'queued' ? offsets.dispatched : undefined;
  const dispatchedAt = previousTry ?? (dispatched === undefined ? undefined : created + dispatched);
  return {
    createdAt: input.createdAt ?? databaseTime(created),
    updatedAt: databaseTime(Math.min(sentAt, Math.max(created + reached, dispatchedAt ?? 0) + 22)),
    nextWebhookRetryAt: attempt > 1 ? iso(Math.min(sentAt, firstTry + retryWait)) : null,
    lastWebhookProgress: progress ?? null,
    lastWebhookProgressAt: progress === undefined ? null : at(reached - 29_860),
    lastWebhookDispatchedAt: dispatchedAt === undefined ? null : iso(Math.min(sentAt, dispatchedAt)),
    finalizedAt: terminal ? at(reached) : null,
    lastPolledAt: input.status === 'queued' ? null : at(reached - (terminal ? 168 : 0)),
    polledStatus: input.status === 'queued' ? null : input.status,
  };
}

function stageOffset(kind: JobKind, status: MockInternalStatus): number {
  const offsets = OFFSETS[kind];
  if (status === 'queued') return 20;
  if (status === 'in_progress') return offsets.running;
  return status === 'completed' ? offsets.finalized : offsets.failed;
}

// The bucket delivered before this one (none before the first, 5).
function previousBucket(bucket: number | undefined): number | undefined {
  if (bucket === undefined) return undefined;
  const index = BUCKETS.indexOf(bucket as (typeof BUCKETS)[number]);
  return index > 0 ? BUCKETS[index - 1] : undefined;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

// created_at and updated_at come from the database with microseconds and an offset (spec §6.2).
function databaseTime(ms: number): string {
  return iso(ms).replace('Z', '000+00:00');
}
