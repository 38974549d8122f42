import type { DeliveryReport, WebhookHandler } from '@ai-stats-webhooks/core';
import { jobVerdict, VERDICT_LABELS, type Verdict, type VerdictDelivery } from './job-verdict.js';
import { readSenderView, type SenderView } from './sender-view.js';

/** One answer of ours to a verified delivery of the job. */
export interface DeliveryEntry {
  kind: 'delivery';
  at: string;
  event_id: string | null;
  event_type: string | null;
  /** The sender's attempt number, and its maximum once the payload was read. */
  attempt: number | null;
  max_attempts: number | null;
  /** The HTTP status we answered, and what it meant. */
  status: number;
  outcome: DeliveryReport['outcome'];
  latency_ms: number;
  error: string | null;
  reconciled: boolean;
  /** Inbox mode: acknowledged, the handlers run in the worker. */
  queued: boolean;
}

/** One read of the job from the Video API: by the poller, or a reconciliation of a delivery. */
export interface ApiReadEntry {
  kind: 'poll' | 'reconcile';
  /** First of the identical reads this entry stands for, and the last one. */
  at: string;
  last_at: string;
  repeat: number;
  ok: boolean;
  status: string | null;
  progress: number | null;
  error: string | null;
  sender: SenderView | null;
}

/** An entry of `GET /api/jobs/:id/timeline`. */
export type TimelineEntry = DeliveryEntry | ApiReadEntry;

/** What the Video API answered a read with, as the timeline keeps it. */
export type ApiRead = { status?: unknown; progress?: unknown; webhook?: unknown } | { error: string };

/** Defaults of {@link createJobTimeline}: the last 50 entries of each of the last 1,000 jobs. */
export const JOB_TIMELINE_DEFAULTS = Object.freeze({ maxJobs: 1_000, maxEntries: 50 });

interface JobRecord {
  entries: TimelineEntry[];
  sender: SenderView | null;
}

const positive = (name: string, value: number) => {
  if (!Number.isInteger(value) || value < 1)
    throw new RangeError(`${name}: expected an integer of at least 1, found ${String(value)}.`);
  return value;
};

/**
 * The per-job timeline behind the dashboard: our answer to every verified delivery, every poll and
 * reconciliation read, and the newest reading of the sender's own view (`webhook.delivery`, from
 * payloads and from the API). Bounded: `maxEntries` per job (identical consecutive reads are folded
 * into one entry), `maxJobs` jobs, the least recently touched dropped first. Deliveries rejected
 * before verification (401) are not attributed: their body is unauthenticated and could name any
 * job; the sender's view (`last_response_status: 401`) tells the job instead.
 *
 * @example
 * ```ts
 * const timeline = createJobTimeline();
 * const receiver = createReceiver({ secret, onDelivery: timeline.recordDelivery });
 * receiver.onAny(timeline.handler);
 * timeline.verdictOf(job).verdict; // 'healthy'
 * ```
 */
export function createJobTimeline(options: { maxJobs?: number; maxEntries?: number; now?: () => number } = {}) {
  const maxJobs = positive('maxJobs', options.maxJobs ?? JOB_TIMELINE_DEFAULTS.maxJobs);
  const maxEntries = positive('maxEntries', options.maxEntries ?? JOB_TIMELINE_DEFAULTS.maxEntries);
  const now = options.now ?? Date.now;
  const jobs = new Map<string, JobRecord>();
  // max_attempts of payloads read before their delivery entry exists (inline mode).
  const maxAttempts = new Map<string, number>();
  const touch = (id: string): JobRecord => {
    const job = jobs.get(id) ?? { entries: [], sender: null };
    jobs.delete(id);
    jobs.set(id, job);
    if (jobs.size > maxJobs) jobs.delete(jobs.keys().next().value!);
    return job;
  };
  const push = (job: JobRecord, entry: TimelineEntry) => {
    job.entries.push(entry);
    if (job.entries.length > maxEntries) job.entries.splice(0, job.entries.length - maxEntries);
  };
  const see = (job: JobRecord, view: SenderView | undefined) => {
    if (view && (!job.sender || view.read_at >= job.sender.read_at)) job.sender = view;
  };
  return {
    /** The receiver's `onDelivery`: one entry per answer to a verified delivery. */
    recordDelivery(report: DeliveryReport): void {
      if (!report.jobId) return;
      const key = `${report.eventId}#${report.attempt}`;
      push(touch(report.jobId), deliveryEntry(report, new Date(now()), maxAttempts.get(key) ?? null));
      maxAttempts.delete(key);
    },
    /** For `receiver.onAny`: reads the attempt's maximum and the sender's view from the payload. */
    handler: ((context) => {
      const job = touch(context.job.id);
      see(job, readSenderView(context.event.data.webhook, 'webhook', new Date(now())));
      const { eventId, attempt, maxAttempts: max } = context.delivery;
      const entry = job.entries.find(
        (e): e is DeliveryEntry => e.kind === 'delivery' && e.event_id === eventId && e.attempt === attempt,
      );
      if (entry) entry.max_attempts = max;
      else if (maxAttempts.set(`${eventId}#${attempt}`, max).size > maxJobs)
        maxAttempts.delete(maxAttempts.keys().next().value!);
    }) satisfies WebhookHandler,
    /** A read of the job from the Video API (see `observeVideosClient`). */
    recordApiRead(kind: ApiReadEntry['kind'], jobId: string, read: ApiRead): void {
      const job = touch(jobId);
      const entry = apiReadEntry(kind, read, new Date(now()));
      see(job, entry.sender ?? undefined);
      const last = job.entries.at(-1);
      if (last && sameRead(last, entry)) {
        last.repeat++;
        last.last_at = entry.at;
      } else push(job, entry);
    },
    /** The job's entries, oldest first (copies), and the newest reading of the sender's view. */
    timeline(jobId: string): { entries: TimelineEntry[]; sender: SenderView | null } {
      const job = jobs.get(jobId);
      return { entries: (job?.entries ?? []).map((e) => ({ ...e })), sender: job?.sender ?? null };
    },
    /** The job's {@link Verdict} and its label. */
    verdictOf(job: { id: string; status: string; source: string; updatedAt: string }) {
      const record = jobs.get(job.id);
      const verdict: Verdict = jobVerdict({
        status: job.status,
        source: job.source,
        updated_at: job.updatedAt,
        deliveries: (record?.entries ?? [])
          .filter((e): e is DeliveryEntry => e.kind === 'delivery')
          .map(toVerdictDelivery),
        sender: record?.sender ?? null,
        now: now(),
      });
      return { verdict, verdict_label: VERDICT_LABELS[verdict] };
    },
    /** Jobs with a timeline (at most `maxJobs`). */
    jobCount: () => jobs.size,
  };
}

/** What {@link createJobTimeline} returns. */
export type JobTimeline = ReturnType<typeof createJobTimeline>;

function deliveryEntry(report: DeliveryReport, at: Date, max: number | null): DeliveryEntry {
  return {
    kind: 'delivery',
    at: at.toISOString(),
    event_id: report.eventId ?? null,
    event_type: report.type ?? null,
    attempt: report.attempt ?? null,
    max_attempts: max,
    status: report.status,
    outcome: report.outcome,
    latency_ms: Math.round(report.durationMs),
    error: report.code ?? (report.status >= 400 ? `HTTP ${report.status}` : null),
    reconciled: report.reconciled,
    queued: report.queued,
  };
}

function apiReadEntry(kind: ApiReadEntry['kind'], read: ApiRead, at: Date): ApiReadEntry {
  const base = { kind, at: at.toISOString(), last_at: at.toISOString(), repeat: 1 };
  if ('error' in read) return { ...base, ok: false, status: null, progress: null, error: read.error, sender: null };
  return {
    ...base,
    ok: true,
    status: typeof read.status === 'string' ? read.status : null,
    progress: typeof read.progress === 'number' ? read.progress : null,
    error: null,
    sender: readSenderView(read.webhook, kind, at) ?? null,
  };
}

// Two reads are folded when they tell the same thing (the poller reads an open job every tick).
function sameRead(last: TimelineEntry, next: ApiReadEntry): last is ApiReadEntry {
  if (last.kind !== next.kind) return false;
  const a = { ...last, at: '', last_at: '', repeat: 0, sender: last.sender && { ...last.sender, read_at: '' } };
  const b = { ...next, at: '', last_at: '', repeat: 0, sender: next.sender && { ...next.sender, read_at: '' } };
  return JSON.stringify(a) === JSON.stringify(b);
}

const toVerdictDelivery = (e: DeliveryEntry): VerdictDelivery => ({
  at: e.at,
  event_type: e.event_type,
  outcome: e.outcome,
  status: e.status,
});
