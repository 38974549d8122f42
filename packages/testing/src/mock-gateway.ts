import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DeliveryRecord, MockJob } from './mock-job';
import { createMockJobRunner } from './mock-job-runner';
import { createMockScheduler } from './mock-scheduler';
import { createMockVideoApi } from './mock-video-api';
import { readMockFaults } from './read-mock-faults';
import { readMockGatewayOptions, readSecret } from './read-mock-gateway-options';
import { createSeededRandom } from './seeded-random';
import type { MockFaults, SenderContext } from './webhook-sender';

/**
 * Defaults of {@link createMockGateway}; durations are gateway milliseconds (divided by `timeScale`).
 *
 * @example
 * ```ts
 * await createMockGateway({ lifecycle: { readings: [...MOCK_GATEWAY_DEFAULTS.readings, 97] } });
 * ```
 */
export const MOCK_GATEWAY_DEFAULTS = Object.freeze({
  apiKey: 'sk_mock_local',
  queuedMs: 10_000,
  stepMs: 10_000,
  readings: [12, 33, 52, 71, 88] as readonly number[],
  failKeyword: 'fail',
  events: [
    'job.created',
    'job.status_changed',
    'job.progress',
    'job.completed',
    'job.failed',
    'job.cancelled',
    'job.expired',
  ],
  timeoutMs: 10_000,
});

/**
 * Options of {@link createMockGateway}. Every one is checked: a bad value throws a `TypeError` or
 * `RangeError` naming it (expected / found / fix) when the gateway is created.
 */
export interface MockGatewayOptions {
  /** An integer 0–65535; default 0 (a free port). Always bound to 127.0.0.1. */
  readonly port?: number;
  readonly apiKey?: string;
  /** Default: a fresh `whsec_…` secret. */
  readonly secret?: string;
  /** Where deliveries go for jobs created without `webhook.url`: an http:// or https:// URL. */
  readonly webhookUrl?: string;
  /** Subscriptions of jobs created without `webhook.events` (known names only, spec §5). Default: every phase. */
  readonly events?: readonly string[];
  /** Gateway time runs this many times faster than real time (retry delays, lifecycle): finite, > 0. Default 1. */
  readonly timeScale?: number;
  /** Gateway ms queued and per step (>= 0), and the provider readings (0–100) a video goes through. */
  readonly lifecycle?: { readonly queuedMs?: number; readonly stepMs?: number; readonly readings?: readonly number[] };
  /** A prompt containing this word (a non-empty string) fails. Default `fail`. */
  readonly failKeyword?: string;
  /** Fault knobs; probabilities are 0–1, and an unknown knob is an error. */
  readonly faults?: MockFaults;
  /** Seed of the fault dice. */
  readonly seed?: number;
  /** Real ms before a delivery attempt times out (1 to 2^31 - 1). Default 10 s. */
  readonly timeoutMs?: number;
}

/** A running mock AI Stats gateway: Video API plus signed webhook sender. */
export interface MockGateway {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** `http://127.0.0.1:<port>/v1`, what `AI_STATS_BASE_URL` takes. */
  readonly baseUrl: string;
  readonly apiKey: string;
  /** The current signing secret. */
  readonly secret: string;
  jobs(): readonly MockJob[];
  job(id: string): MockJob | undefined;
  /** Every delivery attempt, in order. */
  deliveries(): readonly DeliveryRecord[];
  /**
   * Creates a video job as `POST /v1/videos` would; `fail: true` fails it like the keyword does.
   * Bad input (no model or prompt, a webhook URL that is not http(s), `events` with no name valid
   * for a video) throws a `TypeError` or `RangeError` at the call, and nothing is stored.
   */
  createVideo(body: {
    model: string;
    prompt: string;
    webhook?: { url?: string; events?: string[] } | undefined;
    fail?: boolean;
  }): MockJob;
  /**
   * Creates a batch job (batches have no create route here): created → in progress → completed,
   * or `outcome` failed / expired (an expired batch is sent as `batch.failed`, as the sender does).
   * Bad options throw a `TypeError` or `RangeError` at the call, and nothing is stored.
   */
  createBatch(options?: {
    model?: string;
    webhook?: { url?: string; events?: string[] };
    outcome?: 'completed' | 'failed' | 'expired';
  }): MockJob;
  /** Replaces the secret at once, as `rotate-secret` does (with `next`, or a fresh one); returns it. */
  rotateSecret(next?: string): string;
  /** Changes fault knobs at run time; they are checked as `options.faults` is. */
  setFaults(faults: MockFaults): void;
  /** Resolves when no lifecycle step or delivery is pending. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts a local AI Stats / Phaseo gateway on 127.0.0.1: the Video API (`POST/GET /v1/videos`,
 * list with paging, content, `download_url`, `cancel` → 501, `GET /v1/batches/{id}`) with bearer
 * auth (a signed `download_url` serves the content alone), and a sender that runs each job's
 * lifecycle and delivers signed webhooks with the real retry policy, on a clock that can run
 * faster, with fault knobs for tests. Bad options throw a `TypeError` or `RangeError` naming them.
 *
 * @example
 * ```ts
 * const gateway = await createMockGateway({ webhookUrl: 'http://127.0.0.1:3000/webhooks/ai-stats', timeScale: 60 });
 * process.env.AI_STATS_BASE_URL = gateway.baseUrl;
 * ```
 */
export async function createMockGateway(options: MockGatewayOptions = {}): Promise<MockGateway> {
  const o = readMockGatewayOptions(options, MOCK_GATEWAY_DEFAULTS);
  let secret = o.secret?.trim() || newSecret();
  const faults: MockFaults = { ...o.faults };
  const scheduler = createMockScheduler();
  // Set once the server listens (before any job exists): deliveries point at the mock, never production.
  const base = { url: '' };
  const sender: SenderContext = {
    secret: () => secret,
    baseUrl: () => `${base.url}/v1`,
    faults,
    random: createSeededRandom(o.seed),
    timeScale: o.timeScale,
    timeoutMs: o.timeoutMs,
    track: scheduler.track,
    later: scheduler.later,
  };
  const { queuedMs, stepMs, readings, webhookUrl, events, failKeyword } = o;
  const runner = createMockJobRunner({ sender, queuedMs, stepMs, readings, webhookUrl, events, failKeyword });
  const apiKey = o.apiKey;
  const api = { apiKey, baseUrl: sender.baseUrl, jobs: runner.jobs, faults, createVideo: runner.createVideo };
  const server = createServer(createMockVideoApi(api));
  await new Promise<void>((resolve, reject) => {
    // A port in use (or refused) rejects the call instead of leaving it pending forever.
    server.once('error', (cause: Error) =>
      reject(
        new Error(
          `createMockGateway: expected to listen on 127.0.0.1:${o.port}, found ${cause.message}. Fix: pass another port, or 0 for a free one.`,
          { cause },
        ),
      ),
    );
    server.listen(o.port, '127.0.0.1', resolve);
  });
  base.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const jobs = () => [...runner.jobs.values()];
  return {
    url: base.url,
    baseUrl: api.baseUrl(),
    apiKey,
    get secret() {
      return secret;
    },
    jobs,
    job: (id) => runner.jobs.get(id),
    deliveries: () =>
      jobs()
        .flatMap((job) => job.records)
        .sort((a, b) => a.triedAt.localeCompare(b.triedAt)),
    createVideo: runner.createVideo,
    createBatch: runner.createBatch,
    rotateSecret: (next) => (secret = readSecret(next, 'rotateSecret', 'next')?.trim() || newSecret()),
    setFaults: (next) => void Object.assign(faults, readMockFaults(next, 'setFaults', 'faults')),
    idle: () => scheduler.idle(),
    close: async () => {
      scheduler.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function newSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}
