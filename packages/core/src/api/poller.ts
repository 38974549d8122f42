import { integerOption, timerOption } from '../errors/invalid-option';
import { isWebhookError } from '../errors/webhook-error';
import type { JobState, JobTransition } from '../job/job-state-machine';
import { storeApiObject } from './store-api-object';
import { listOpenJobs, type JobStore } from '../job/job-store';
import type { Logger } from '../receiver/receiver-options';
import type { VideosClient } from './videos-client';

/** Defaults of {@link createPoller}. */
export const POLLER_DEFAULTS = Object.freeze({
  /** Used when the API gives no `poll_after_seconds`. */
  fallbackIntervalMs: 20_000,
  /** How often the loop looks for jobs that are due. */
  tickMs: 1_000,
  /**
   * First delay after a failed poll; doubles per consecutive failure. A `Retry-After` from the API
   * lengthens it (the larger of the two wins).
   */
  backoffMs: 5_000,
  maxBackoffMs: 5 * 60_000,
  /** Jobs polled per tick, at most. */
  batchSize: 25,
});

/** Options of {@link createPoller}. */
export interface PollerOptions {
  readonly api: VideosClient;
  /** Read through `listOpen()` when the store has it, else `list({ status: ['queued', 'processing'] })`. */
  readonly jobs: JobStore;
  /** Fixed delay between polls of one job. Default: the API's `poll_after_seconds`. */
  readonly intervalMs?: number;
  readonly tickMs?: number;
  readonly backoffMs?: number;
  readonly maxBackoffMs?: number;
  readonly batchSize?: number;
  /** Milliseconds clock. Default `Date.now`. */
  readonly now?: () => number;
  readonly logger?: Logger;
  /** Called after each poll that changed a job. */
  readonly onUpdate?: (transition: JobTransition) => void;
}

/** The recipe's control loop: polls non-terminal jobs into the same state machine as webhooks. */
export interface Poller {
  start(): void;
  stop(): void;
  /** Polls every job that is due now; resolves with the number polled (0 while rate-limited). */
  pollOnce(): Promise<number>;
}

interface ResolvedPollerOptions extends PollerOptions {
  readonly now: () => number;
  readonly tickMs: number;
  readonly backoffMs: number;
  readonly maxBackoffMs: number;
  readonly batchSize: number;
}

interface PollerState {
  readonly options: ResolvedPollerOptions;
  readonly schedule: Map<string, { dueAt: number; failures: number }>;
  /** A 429 is about the API key, not one job: no job is polled before this time. */
  notBefore: number;
}

/**
 * Creates a poller. It polls queued and processing jobs (`jobs.listOpen()`, so terminal jobs are
 * never read), honours `poll_after_seconds`, and applies what it reads through the monotonic state
 * machine, so polling and webhooks never disagree. On errors it backs off exponentially per job, and
 * never polls a job sooner than the API's `Retry-After`; a 429 pauses every poll (the rate limit is
 * per key) until its `Retry-After` has passed. A job the API says does not exist is asked about
 * rarely, and an answer about another job is logged and never stored.
 *
 * @example
 * ```ts
 * const poller = createPoller({ api: createVideosClient({ apiKey }), jobs: receiver.options.jobs });
 * poller.start();
 * ```
 */
export function createPoller(options: PollerOptions): Poller {
  const state: PollerState = { options: resolvePollerOptions(options), schedule: new Map(), notBefore: 0 };
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = true;
  const pollOnce = () => pollDue(state);

  const loop = async (): Promise<void> => {
    if (stopped) return;
    await pollOnce().catch((error: unknown) => {
      log(state, 'error', 'poller tick failed', { cause: error instanceof Error ? error.message : String(error) });
    });
    if (!stopped) timer = unref(setTimeout(() => void loop(), state.options.tickMs));
  };

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      timer = unref(setTimeout(() => void loop(), 0));
    },
    stop() {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
    },
    pollOnce,
  };
}

async function pollDue(state: PollerState): Promise<number> {
  const { options: o, schedule } = state;
  const t = o.now();
  if (t < state.notBefore) return 0;
  const open = await listOpenJobs(o.jobs);
  // The requests of one tick run together: a 429 among them pauses the ticks that follow.
  const due = open.filter((job) => (schedule.get(job.id)?.dueAt ?? 0) <= t).slice(0, o.batchSize);
  await Promise.all(due.map((job) => pollJob(state, job)));
  const openIds = new Set(open.map((job) => job.id));
  for (const id of schedule.keys()) if (!openIds.has(id)) schedule.delete(id);
  return due.length;
}

async function pollJob(state: PollerState, job: JobState): Promise<void> {
  const o = state.options;
  try {
    const object = job.kind === 'batch' ? await o.api.getBatch(job.id) : await o.api.getVideo(job.id);
    // requestedId: an answer about another job throws api_invalid_response and stores nothing.
    const transition = await storeApiObject(o.jobs, job.kind, object, {
      source: 'poll',
      now: new Date(o.now()),
      requestedId: job.id,
    });
    if (transition.changed) o.onUpdate?.(transition);
    const afterSeconds = 'poll_after_seconds' in object ? object.poll_after_seconds : undefined;
    const delay =
      o.intervalMs ??
      (typeof afterSeconds === 'number' && afterSeconds > 0 ? afterSeconds * 1000 : POLLER_DEFAULTS.fallbackIntervalMs);
    state.schedule.set(job.id, { dueAt: o.now() + delay, failures: 0 });
  } catch (error) {
    recordFailure(state, job, error);
  }
}

function recordFailure(state: PollerState, job: JobState, error: unknown): void {
  const failures = (state.schedule.get(job.id)?.failures ?? 0) + 1;
  const delay = failureDelay(error, failures, state.options);
  const t = state.options.now();
  state.schedule.set(job.id, { dueAt: t + delay, failures });
  const code = isWebhookError(error) ? error.code : undefined;
  log(state, 'warn', `poll of ${job.id} failed (${code ?? 'error'}); next try in ${Math.round(delay / 1000)}s`, {
    code,
    message: error instanceof Error ? error.message : String(error),
    retryAfterMs: retryAfterOf(error),
  });
  if (isRateLimited(error) && t + delay > state.notBefore) {
    state.notBefore = t + delay;
    log(state, 'warn', `the Video API rate-limited polling (429); no job is polled for ${Math.round(delay / 1000)}s`, {
      code,
      notBefore: state.notBefore,
    });
  }
}

// A logger that throws must not stop the loop.
function log(state: PollerState, level: 'warn' | 'error', message: string, fields: Record<string, unknown>): void {
  try {
    state.options.logger?.[level]?.(message, fields);
  } catch {
    // ignored
  }
}

function resolvePollerOptions(options: PollerOptions): ResolvedPollerOptions {
  const d = POLLER_DEFAULTS;
  const resolved: ResolvedPollerOptions = {
    ...options,
    now: options.now ?? Date.now,
    tickMs: options.tickMs ?? d.tickMs,
    backoffMs: options.backoffMs ?? d.backoffMs,
    maxBackoffMs: options.maxBackoffMs ?? d.maxBackoffMs,
    batchSize: options.batchSize ?? d.batchSize,
  };
  const { intervalMs, tickMs, backoffMs, maxBackoffMs, batchSize } = resolved;
  for (const [name, value] of Object.entries({ intervalMs, tickMs, backoffMs, maxBackoffMs })) {
    if (value !== undefined) timerOption(name, value);
  }
  integerOption('batchSize', batchSize);
  return resolved;
}

// Exponential per job, never shorter than the API's Retry-After; rarely for a job that cannot be polled.
function failureDelay(error: unknown, failures: number, o: ResolvedPollerOptions): number {
  if (isWebhookError(error, 'api_not_found') || isWebhookError(error, 'api_not_implemented')) return o.maxBackoffMs;
  const backoff = Math.min(o.maxBackoffMs, o.backoffMs * 2 ** (failures - 1));
  return Math.max(backoff, retryAfterOf(error) ?? 0);
}

/** `details.retryAfterMs` of a 408/425/429 or 5xx answer, when the API sent `Retry-After`. */
function retryAfterOf(error: unknown): number | undefined {
  const ms = isWebhookError(error) ? error.details.retryAfterMs : undefined;
  return typeof ms === 'number' && Number.isFinite(ms) && ms > 0 ? ms : undefined;
}

function isRateLimited(error: unknown): boolean {
  return isWebhookError(error, 'api_retry_later') && error.details.apiStatus === 429;
}

// The poller never keeps a process alive on its own.
function unref(timer: ReturnType<typeof setTimeout>): ReturnType<typeof setTimeout> {
  (timer as { unref?: () => void }).unref?.();
  return timer;
}
