import { integerOption, timerOption } from '../errors/invalid-option';
import { isWebhookError } from '../errors/webhook-error';
import type { JobState, JobTransition } from '../job/job-state-machine';
import { storeApiObject } from './store-api-object';
import { listOpenJobs, type JobStore } from '../job/job-store';
import type { Logger } from '../receiver/receiver-options';
import type { VideosClient } from './videos-client';
import { FALLBACK_INTERVAL_MS, failureDelay, isRateLimited, nextPollDelay, retryAfterOf } from './poll-delay';

/** Defaults of {@link createPoller}. */
export const POLLER_DEFAULTS = Object.freeze({
  /** Used when the API gives no `poll_after_seconds`. */
  fallbackIntervalMs: FALLBACK_INTERVAL_MS,
  /**
   * How often the loop looks for jobs that are due. Also the shortest delay between two polls of
   * one job that `poll_after_seconds` can ask for.
   */
  tickMs: 1_000,
  /**
   * First delay after a failed poll; doubles per consecutive failure. A `Retry-After` from the API
   * lengthens it (the larger of the two wins).
   */
  backoffMs: 5_000,
  /** The longest backoff, and the longest delay between two polls that `poll_after_seconds` can ask for. */
  maxBackoffMs: 5 * 60_000,
  /** Requests in flight at most; a tick starts due jobs into the free slots only. */
  batchSize: 25,
});

/** Options of {@link createPoller}. */
export interface PollerOptions {
  readonly api: VideosClient;
  /** Read through `listOpen()` when the store has it, else `list({ status: ['queued', 'processing'] })`. */
  readonly jobs: JobStore;
  /**
   * Fixed delay between polls of one job, used as given. Default: the API's `poll_after_seconds`,
   * clamped to `tickMs` … `maxBackoffMs` (so `1e9` does not park a job forever and `0.001` does not
   * poll it every tick).
   */
  readonly intervalMs?: number;
  readonly tickMs?: number;
  readonly backoffMs?: number;
  readonly maxBackoffMs?: number;
  /** Requests in flight at most (not per tick): a slow job holds one slot, the others keep polling. */
  readonly batchSize?: number;
  /** Wall clock in milliseconds, for the timestamps written to jobs. Default `Date.now`. */
  readonly now?: () => number;
  /**
   * Monotonic clock in milliseconds, for scheduling (due times, backoff, the 429 pause), so a wall
   * clock step (NTP, a resumed VM) neither freezes nor rushes polling. Default `performance.now()`.
   * Tests inject both clocks.
   */
  readonly clock?: () => number;
  readonly logger?: Logger;
  /** Called after each poll that changed a job. */
  readonly onUpdate?: (transition: JobTransition) => void;
}

/** The recipe's control loop: polls non-terminal jobs into the same state machine as webhooks. */
export interface Poller {
  /** Starts the loop (again, after `stop()`); a poller that runs already is left as it is. */
  start(): void;
  /**
   * Stops the loop and cancels the API requests in flight (through the `signal` the poller passes to
   * `getVideo` / `getBatch`; a cancelled poll is not a failure, the job stays due). The promise
   * resolves once the polls in flight have settled (a store write already started completes) and any
   * `pollOnce()` under way has finished; after that nothing is written or reported until the next
   * `start()`. Ignoring the promise still stops the loop. Never rejects.
   */
  stop(): Promise<void>;
  /**
   * Starts every job that is due now into the free slots (the most overdue first, jobs in flight
   * skipped) and resolves, once those polls settled, with how many it started (0 while rate-limited).
   */
  pollOnce(): Promise<number>;
}

interface ResolvedPollerOptions extends PollerOptions {
  readonly now: () => number;
  readonly clock: () => number;
  readonly tickMs: number;
  readonly backoffMs: number;
  readonly maxBackoffMs: number;
  readonly batchSize: number;
}

interface PollerState {
  readonly options: ResolvedPollerOptions;
  /** Per open job, on the monotonic clock; a job never polled is due since it was first seen. */
  readonly schedule: Map<string, { dueAt: number; failures: number }>;
  /** The polls in flight, by job id: at most `batchSize`, one per job. */
  readonly inFlight: Map<string, Promise<void>>;
  /** A 429 is about the API key, not one job: no job is polled before this time (monotonic). */
  notBefore: number;
  /** Cancels the requests in flight; `stop()` aborts it and puts a new one in its place. */
  abort: AbortController;
}

/** The loop of one `start()`: a later `start()` makes a new one, and an old loop never reschedules. */
interface PollerLoop {
  generation: number;
  timer: ReturnType<typeof setTimeout> | undefined;
  /** The tick under way (reading the open jobs), settled when none is. */
  tick: Promise<unknown>;
  /** `pollOnce()` calls still reading the open jobs: `stop()` waits for them too. */
  readonly manual: Set<Promise<unknown>>;
}

/**
 * Creates a poller. It polls queued and processing jobs (`jobs.listOpen()`, so terminal jobs are
 * never read), honours `poll_after_seconds` (clamped to `tickMs` … `maxBackoffMs`), and applies
 * what it reads through the monotonic state machine, so polling and webhooks never disagree. Due
 * jobs are polled the most overdue first (a new job is due since it was first seen), so under load
 * every job is polled, later, but none is starved. At most `batchSize` requests are in flight and
 * never two for one job, so a slow job holds only its own slot. On errors it backs off
 * exponentially per job, and never polls a job sooner than the API's `Retry-After`; a 429 pauses
 * every poll (the rate limit is per key) until its `Retry-After` has passed. A job the API says
 * does not exist is asked about rarely, and an answer about another job is logged and never stored.
 * Scheduling runs on the monotonic `clock`; job timestamps on the wall clock `now`.
 *
 * @example
 * ```ts
 * const poller = createPoller({ api: createVideosClient({ apiKey }), jobs: receiver.options.jobs });
 * poller.start();
 * process.once('SIGTERM', () => void poller.stop().then(() => stores.close()));
 * ```
 */
export function createPoller(options: PollerOptions): Poller {
  const state: PollerState = {
    options: resolvePollerOptions(options),
    schedule: new Map(),
    inFlight: new Map(),
    notBefore: Number.NEGATIVE_INFINITY,
    abort: new AbortController(),
  };
  const loop: PollerLoop = { generation: 0, timer: undefined, tick: Promise.resolve(), manual: new Set() };
  let running = false;

  const tick = async (generation: number): Promise<void> => {
    const current = () => generation === loop.generation;
    loop.tick = startDue(state, current).catch((error: unknown) => {
      log(state, 'error', 'poller tick failed', { cause: error instanceof Error ? error.message : String(error) });
    });
    await loop.tick;
    if (current()) loop.timer = unref(setTimeout(() => void tick(generation), state.options.tickMs));
  };

  return {
    start() {
      if (running) return;
      running = true;
      const generation = ++loop.generation;
      loop.timer = unref(setTimeout(() => void tick(generation), 0));
    },
    stop() {
      running = false;
      loop.generation++;
      if (loop.timer !== undefined) clearTimeout(loop.timer);
      state.abort.abort(new Error('the poller was stopped'));
      state.abort = new AbortController();
      return settle(state, loop);
    },
    async pollOnce() {
      // Like a tick: a stop() while it reads the open jobs means it starts nothing.
      const generation = loop.generation;
      const listing = startDue(state, () => generation === loop.generation);
      loop.manual.add(listing);
      const started = await listing.finally(() => loop.manual.delete(listing));
      await Promise.all(started);
      return started.length;
    },
  };
}

// Waits for the ticks under way (they start nothing once stopped), then for the polls in flight
// (their requests aborted; a store write already started completes).
async function settle(state: PollerState, loop: PollerLoop): Promise<void> {
  await Promise.allSettled([loop.tick, ...loop.manual]);
  await Promise.allSettled([...state.inFlight.values()]);
}

// Starts the due jobs into the free slots, the most overdue first; resolves with the started polls.
async function startDue(state: PollerState, current: () => boolean): Promise<Promise<void>[]> {
  const { options: o, schedule, inFlight } = state;
  if (o.clock() < state.notBefore) return [];
  const open = await listOpenJobs(o.jobs);
  const t = o.clock();
  if (!current() || t < state.notBefore) return [];
  const openIds = new Set(open.map((job) => job.id));
  for (const id of schedule.keys()) if (!openIds.has(id) && !inFlight.has(id)) schedule.delete(id);
  for (const job of open) if (!schedule.has(job.id)) schedule.set(job.id, { dueAt: t, failures: 0 });
  const dueAt = (job: JobState) => schedule.get(job.id)!.dueAt;
  const due = open
    .filter((job) => !inFlight.has(job.id) && dueAt(job) <= t)
    .sort((a, b) => dueAt(a) - dueAt(b)) // stable: equal due times stay oldest job first
    .slice(0, Math.max(0, o.batchSize - inFlight.size));
  return due.map((job) => track(state, job));
}

// Starts one poll and holds its slot until it settles; a poll never rejects.
function track(state: PollerState, job: JobState): Promise<void> {
  const poll = pollJob(state, job).finally(() => state.inFlight.delete(job.id));
  state.inFlight.set(job.id, poll);
  return poll;
}

async function pollJob(state: PollerState, job: JobState): Promise<void> {
  const o = state.options;
  const { signal } = state.abort;
  try {
    const object =
      job.kind === 'batch' ? await o.api.getBatch(job.id, { signal }) : await o.api.getVideo(job.id, { signal });
    // requestedId: an answer about another job throws api_invalid_response and stores nothing.
    const transition = await storeApiObject(o.jobs, job.kind, object, {
      source: 'poll',
      now: new Date(o.now()),
      requestedId: job.id,
    });
    if (transition.changed) o.onUpdate?.(transition);
    state.schedule.set(job.id, { dueAt: o.clock() + nextPollDelay(object, o), failures: 0 });
  } catch (error) {
    // Cancelled by stop(): not a failure; the job keeps its due time for the next start().
    if (!signal.aborted) recordFailure(state, job, error);
  }
}

function recordFailure(state: PollerState, job: JobState, error: unknown): void {
  const failures = (state.schedule.get(job.id)?.failures ?? 0) + 1;
  const delay = failureDelay(error, failures, state.options);
  const t = state.options.clock();
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
    clock: options.clock ?? (() => performance.now()),
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

// The poller never keeps a process alive on its own.
function unref(timer: ReturnType<typeof setTimeout>): ReturnType<typeof setTimeout> {
  (timer as { unref?: () => void }).unref?.();
  return timer;
}
