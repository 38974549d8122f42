import { isWebhookError, WebhookError } from './webhook-error';
import type { JobState, JobTransition } from './job-state-machine';
import { storeApiObject } from './store-api-object';
import type { JobStore } from './job-store';
import type { Logger } from './receiver-options';
import type { VideosClient } from './videos-client';

/** Defaults of {@link createPoller}. */
export const POLLER_DEFAULTS = Object.freeze({
  /** Used when the API gives no `poll_after_seconds`. */
  fallbackIntervalMs: 20_000,
  /** How often the loop looks for jobs that are due. */
  tickMs: 1_000,
  /** First delay after a failed poll; doubles per consecutive failure. */
  backoffMs: 5_000,
  maxBackoffMs: 5 * 60_000,
  /** Jobs polled per tick, at most. */
  batchSize: 25,
});

/** Options of {@link createPoller}. */
export interface PollerOptions {
  readonly api: VideosClient;
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
  /** Polls every job that is due now; resolves with the number polled. */
  pollOnce(): Promise<number>;
}

/**
 * Creates a poller. It polls queued and processing jobs, honours `poll_after_seconds`, backs off
 * exponentially on errors (and stops asking about a job the API says does not exist), and applies
 * what it reads through the monotonic state machine, so polling and webhooks never disagree.
 *
 * @example
 * ```ts
 * const poller = createPoller({ api: createVideosClient({ apiKey }), jobs: receiver.options.jobs });
 * poller.start();
 * ```
 */
export function createPoller(options: PollerOptions): Poller {
  const d = POLLER_DEFAULTS;
  const now = options.now ?? Date.now;
  const tickMs = options.tickMs ?? d.tickMs;
  const backoffMs = options.backoffMs ?? d.backoffMs;
  const maxBackoffMs = options.maxBackoffMs ?? d.maxBackoffMs;
  const batchSize = options.batchSize ?? d.batchSize;
  for (const [name, value] of Object.entries({
    intervalMs: options.intervalMs,
    tickMs,
    backoffMs,
    maxBackoffMs,
    batchSize,
  })) {
    if (value !== undefined && (!Number.isFinite(value) || value <= 0)) {
      throw new WebhookError(
        'invalid_option',
        `Option "${name}": expected a positive number, found ${String(value)}.`,
        {
          details: { option: name },
        },
      );
    }
  }
  const schedule = new Map<string, { dueAt: number; failures: number }>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = true;

  const pollJob = async (job: JobState): Promise<void> => {
    const entry = schedule.get(job.id) ?? { dueAt: 0, failures: 0 };
    try {
      const object = job.kind === 'batch' ? await options.api.getBatch(job.id) : await options.api.getVideo(job.id);
      const transition = await storeApiObject(options.jobs, job.kind, object, {
        source: 'poll',
        now: new Date(now()),
        requestedId: job.id,
      });
      if (transition.changed) options.onUpdate?.(transition);
      const afterSeconds = 'poll_after_seconds' in object ? object.poll_after_seconds : undefined;
      const delay =
        options.intervalMs ??
        (typeof afterSeconds === 'number' && afterSeconds > 0 ? afterSeconds * 1000 : d.fallbackIntervalMs);
      schedule.set(job.id, { dueAt: now() + delay, failures: 0 });
    } catch (error) {
      const failures = entry.failures + 1;
      // A job the API does not know, or an API that is switched off, is asked about rarely.
      const hopeless = isWebhookError(error, 'api_not_found') || isWebhookError(error, 'api_not_implemented');
      const delay = hopeless ? maxBackoffMs : Math.min(maxBackoffMs, backoffMs * 2 ** (failures - 1));
      schedule.set(job.id, { dueAt: now() + delay, failures });
      options.logger?.warn?.(`poll of ${job.id} failed; next try in ${Math.round(delay / 1000)}s`, {
        code: isWebhookError(error) ? error.code : undefined,
      });
    }
  };

  const pollOnce = async (): Promise<number> => {
    const open = await options.jobs.list({ status: ['queued', 'processing'] });
    const t = now();
    const due = open.filter((job) => (schedule.get(job.id)?.dueAt ?? 0) <= t).slice(0, batchSize);
    await Promise.all(due.map(pollJob));
    const openIds = new Set(open.map((job) => job.id));
    for (const id of schedule.keys()) if (!openIds.has(id)) schedule.delete(id);
    return due.length;
  };

  const loop = async (): Promise<void> => {
    if (stopped) return;
    await pollOnce().catch((error: unknown) => {
      options.logger?.error?.('poller tick failed', { cause: error instanceof Error ? error.message : String(error) });
    });
    if (!stopped) timer = unref(setTimeout(() => void loop(), tickMs));
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

// The poller never keeps a process alive on its own.
function unref(timer: ReturnType<typeof setTimeout>): ReturnType<typeof setTimeout> {
  (timer as { unref?: () => void }).unref?.();
  return timer;
}
