import type { HeaderPrefix } from '@ai-stats-webhooks/core';
import { eventId } from './event-id';
import { mockJobData, type DeliveryRecord, type MockJob } from './mock-job';
import { signDelivery, type SignedDelivery } from './sign-delivery';

/**
 * Retry delays after attempts 1–3, in gateway milliseconds (spec §7).
 *
 * @example
 * ```ts
 * RETRY_DELAYS_MS[0] / 1000; // 60: attempt 2 comes a minute after attempt 1
 * ```
 */
export const RETRY_DELAYS_MS = [60_000, 300_000, 900_000] as const;

/**
 * The sender's attempts per event (spec §7); a failed last attempt is `failed_permanently`.
 *
 * @example
 * ```ts
 * expect(gateway.deliveries().map((d) => d.attempt)).toEqual([1, 2, 3, MAX_ATTEMPTS]);
 * ```
 */
export const MAX_ATTEMPTS = 4;

/** Fault knobs; every one is off by default. Probabilities are 0–1. */
export interface MockFaults {
  /** Send an attempt twice. */
  duplicate?: number;
  /** How twins are sent. Default `concurrent`. */
  duplicateMode?: 'sequential' | 'concurrent';
  /** Hold an event back so that later ones overtake it. */
  reorder?: number;
  /** Real milliseconds a reordered event is held. Default 300. */
  reorderDelayMs?: number;
  /** Never send an event (the poller must recover the state). */
  drop?: number;
  /** Seconds added to the signed timestamp (and `created_at`). */
  clockSkewSeconds?: number;
  /** Send the older `x-ai-stats-` header generation. */
  legacyHeaders?: boolean;
  /** The Video API (`GET /v1/videos/{id}` and the list, its filter included) shows each video one status behind the webhooks (disagreement). */
  apiLag?: boolean;
  /** How the Video API answers reads. */
  apiMode?: 'ok' | '5xx' | '501';
}

/** What {@link sendEvent} needs of its gateway: the secret, its API base URL, the fault dice and the scheduler. */
export interface SenderContext {
  readonly secret: () => string;
  /** The gateway's own API base URL (`http://127.0.0.1:<port>/v1`): every payload URL points there. */
  readonly baseUrl: () => string;
  readonly faults: MockFaults;
  readonly random: () => number;
  readonly timeScale: number;
  readonly timeoutMs: number;
  readonly track: <T>(work: Promise<T>) => Promise<T>;
  readonly later: (realMs: number, run: () => void) => void;
}

/**
 * True when a subscription list (`job.completed`, `video.progress`, `failed`, …) covers a type
 * (spec §5: `job.<phase>` matches both kinds, a bare phase means `job.<phase>`, case-insensitive).
 *
 * @example
 * ```ts
 * subscribed(['job.completed'], 'batch.completed'); // true
 * subscribed(['video.failed'], 'batch.failed'); // false
 * ```
 */
export function subscribed(events: readonly string[], type: string): boolean {
  const [kind, phase] = type.split('.') as [string, string];
  return events.some((raw) => {
    const name = raw.trim().toLowerCase().replace('canceled', 'cancelled');
    const [scope, p] = name.includes('.') ? (name.split('.') as [string, string]) : ['job', name];
    return p === phase && (scope === 'job' || scope === kind);
  });
}

/**
 * Sends one event of a job with the real retry policy, applying the fault knobs. Every attempt
 * rebuilds the `data` snapshot, the timestamp and the signature, and is recorded on the job.
 *
 * @example
 * ```ts
 * sendEvent(ctx, job, 'video.progress', 'video.progress:50', { bucket: 50 });
 * ```
 */
export function sendEvent(
  ctx: SenderContext,
  job: MockJob,
  type: string,
  key: string,
  extra: { bucket?: number; statusChange?: { previous_status: string; status: string } } = {},
): void {
  if (!job.webhook.url || !subscribed(job.webhook.events, type)) return;
  const id = eventId(job.kind, job.id, key);
  const chance = (p: number | undefined) => p !== undefined && p > 0 && ctx.random() < p;
  const base = { eventId: id, type, deliveryKey: key, jobId: job.id };
  if (chance(ctx.faults.drop)) {
    job.records.push({
      ...base,
      attempt: 1,
      responseStatus: null,
      ok: false,
      errorMessage: 'dropped (fault)',
      responseBodyPreview: null,
      triedAt: new Date().toISOString(),
      fault: 'dropped',
      nextRetryAt: null,
    });
    return;
  }
  const url = job.webhook.url;

  const attempt = async (n: number, fault: DeliveryRecord['fault']): Promise<boolean> => {
    const triedAt = new Date().toISOString();
    const skew = ctx.faults.clockSkewSeconds ?? 0;
    const timestamp = Math.floor(Date.now() / 1000) + skew;
    // Every attempt rebuilds the snapshot, the timestamp and the signature (spec §3).
    const body = {
      id,
      type,
      created_at: timestamp,
      delivery: { key, attempt: n, max_attempts: MAX_ATTEMPTS },
      data: mockJobData(job, ctx.baseUrl(), extra.bucket),
      ...(extra.statusChange ? { status_change: extra.statusChange } : {}),
    };
    const signed = await signDelivery({
      secret: ctx.secret(),
      body,
      timestamp,
      prefix: (ctx.faults.legacyHeaders ? 'ai-stats' : 'phaseo') satisfies HeaderPrefix,
    });
    const { status, preview, error } = await post(url, signed, ctx.timeoutMs);
    const ok = status !== null && status >= 200 && status < 300;
    const retryIn =
      !ok && n < MAX_ATTEMPTS && fault !== 'duplicate' ? RETRY_DELAYS_MS[n - 1]! / ctx.timeScale : undefined;
    job.records.push({
      ...base,
      attempt: n,
      responseStatus: status,
      ok,
      errorMessage: ok ? null : error,
      responseBodyPreview: preview,
      triedAt,
      fault,
      nextRetryAt: retryIn === undefined ? null : new Date(Date.now() + retryIn * ctx.timeScale).toISOString(),
    });
    if (retryIn !== undefined) ctx.later(retryIn, () => void ctx.track(deliver(n + 1)));
    return ok;
  };

  const deliver = async (n: number, fault: DeliveryRecord['fault'] = null): Promise<void> => {
    if (chance(ctx.faults.duplicate)) {
      if (ctx.faults.duplicateMode === 'sequential') {
        await attempt(n, fault);
        await attempt(n, 'duplicate');
      } else {
        await Promise.all([attempt(n, fault), attempt(n, 'duplicate')]);
      }
      return;
    }
    await attempt(n, fault);
  };

  if (chance(ctx.faults.reorder))
    ctx.later(ctx.faults.reorderDelayMs ?? 300, () => void ctx.track(deliver(1, 'reordered')));
  else void ctx.track(deliver(1));
}

interface PostResult {
  readonly status: number | null;
  readonly preview: string | null;
  readonly error: string | null;
}

// One POST as the sender makes it: no redirects followed, a timeout, the first 500 bytes kept.
async function post(url: string, signed: SignedDelivery, timeoutMs: number): Promise<PostResult> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: signed.headers,
      body: signed.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    const status = response.status;
    const preview = (await response.text()).slice(0, 500);
    if (status >= 300 && status < 400) return { status, preview, error: 'Webhook redirects are not allowed' };
    if (status < 200 || status >= 300) return { status, preview, error: `Webhook returned HTTP ${status}` };
    return { status, preview, error: null };
  } catch (cause) {
    return {
      status: null,
      preview: null,
      error: cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause),
    };
  }
}
