import type { CryptoProvider } from '../runtime/crypto-provider';
import { integerOption, invalidOption, numberOption, oneOfOption, timerOption } from '../errors/invalid-option';
import type { Runtime } from '../runtime/runtime';
import type { DedupeStore } from '../dedupe/dedupe-store';
import type { Inbox } from '../dedupe/inbox';
import type { TransactionalStores } from '../dedupe/transactional-stores';
import type { ConflictReason } from '../job/job-observation';
import type { JobState } from '../job/job-state-machine';
import type { JobStore } from '../job/job-store';
import { createMemoryDedupeStore } from '../dedupe/memory-dedupe-store';
import { createMemoryJobStore } from '../job/memory-job-store';
import type { WebhookEvent } from '../wire/schemas';
import { normalizeSecrets } from '../signature/normalize-secrets';
import { DEFAULT_TOLERANCE_SECONDS } from '../stages/verify';
import { createVideosClient, type VideosClient, type VideosClientOptions } from '../api/videos-client';
import type { WebhookError, WebhookErrorCode } from '../errors/webhook-error';
import type { Telemetry } from '../observability/telemetry';

/** When the receiver asks the Video API for the truth. */
export type ReconcileMode = 'on-conflict' | 'always' | 'never';

/** Structured logging; every method optional. `console` fits. */
export interface Logger {
  debug?(message: string, fields?: Record<string, unknown>): void;
  info?(message: string, fields?: Record<string, unknown>): void;
  warn?(message: string, fields?: Record<string, unknown>): void;
  error?(message: string, fields?: Record<string, unknown>): void;
}

/** A delivery that disagreed with the local state, and what the receiver did about it. */
export interface ConflictReport {
  readonly reason: ConflictReason;
  /** `reconciled`: the API answered and its state was applied. Otherwise the monotonic rules decided. */
  readonly resolution: 'reconciled' | 'api_unavailable' | 'no_api' | 'not_reconciled';
  readonly event: WebhookEvent;
  readonly before: JobState | undefined;
  readonly after: JobState;
  /** The API error when resolution is `api_unavailable` (404, 501, …). */
  readonly apiError?: WebhookError;
}

/** What happened to one delivery: one report per `handle()` call, for metrics and dashboards. */
export interface DeliveryReport {
  /** The HTTP status answered. */
  readonly status: number;
  readonly outcome: 'processed' | 'duplicate' | 'in_flight' | 'rejected' | 'failed';
  /** The error code when the delivery was not processed. */
  readonly code: WebhookErrorCode | undefined;
  /** Known once the body was verified and parsed. */
  readonly eventId: string | undefined;
  readonly type: string | undefined;
  readonly jobId: string | undefined;
  readonly attempt: number | undefined;
  readonly reconciled: boolean;
  readonly conflict: ConflictReason | undefined;
  /** Inbox mode: the delivery was stored for a worker (outcome `processed` then means "acknowledged"). */
  readonly queued: boolean;
  /** From the request to the answer, on the monotonic clock (`performance.now()`), so never negative. */
  readonly durationMs: number;
}

/** Options of {@link createReceiver}. */
export interface ReceiverOptions {
  /** Signing secret, or several during rotation. Trimmed; the whole `whsec_…` string is the key. */
  readonly secret: string | readonly string[];
  /** Default 300. */
  readonly toleranceSeconds?: number;
  /** Default 1 MiB. */
  readonly maxBodyBytes?: number;
  /** How long the body may take to arrive before the receiver answers 408. Default 30 s (the sender's own timeout). */
  readonly bodyTimeoutMs?: number;
  /**
   * How long a delivery's handlers keep its claim by renewing the lease. Past it the lease is left
   * to expire (`leaseMs` of the dedupe store later), so a handler that hangs does not answer every
   * retry of its event with 409 until the sender gives up; a later attempt may then run the event
   * again. Default 120 s: the sender's longest timeout, after which its answer no longer counts.
   */
  readonly maxHoldMs?: number;
  /** Default: a memory store (one instance). */
  readonly dedupe?: DedupeStore;
  /** Default: a memory store (one instance). */
  readonly jobs?: JobStore;
  /**
   * Transactional stores (`@ai-stats-webhooks/postgres`): claim → settle → handlers → commit run
   * in one database transaction, and handlers get the driver's transaction client as
   * `context.tx`, so the processed-event mark, the job update and the handler's own writes commit
   * together or not at all. Replaces `dedupe` and `jobs` (give one or the other).
   */
  readonly stores?: TransactionalStores;
  /**
   * Inbox mode: after verify and parse, the delivery is stored in the inbox and answered 200 once
   * that is committed; workers process it later with `receiver.processQueued` (retries, dead
   * letters and replay are the worker's). Acks stay fast whatever the handlers do.
   */
  readonly inbox?: Inbox;
  /** The Video API, for reconciliation: a client or its options. */
  readonly api?: VideosClient | VideosClientOptions;
  /** Default `on-conflict`. */
  readonly reconcile?: ReconcileMode;
  /**
   * G0–G1 bodies without an event id: rejected with 400 by default. With `'accept'`, a G0–G1 body
   * is deduplicated on the event id the G2+ sender gives the same event
   * (`evt_<kind>_<job id>_<delivery key>`, the delivery key being the type or
   * `<kind>.progress:<bucket>`), so a legacy and a current delivery of one event count once.
   * Limit: a legacy progress body without a usable `data.progress` (0 < p < 100) is keyed on its
   * `created_at` plus a hash of its bytes, so an identical body counts once and distinct ones never
   * collapse, but a sender retry of it (which carries a new `created_at`) is processed again.
   */
  readonly legacy?: 'reject' | 'accept';
  /** Milliseconds clock. Default `Date.now`. */
  readonly now?: () => number;
  /** Default `node:crypto` on Node, WebCrypto on edge runtimes. */
  readonly crypto?: CryptoProvider;
  /** Default: warnings and errors to `console`. A logger that throws is ignored (never fails a delivery). */
  readonly logger?: Logger;
  /** Called for every conflict, after the job state is settled. A throw fails the delivery (5xx). */
  readonly onConflict?: (report: ConflictReport) => void | Promise<void>;
  /** Called for every delivery that ends in an error response, with the response status. A throw is logged and ignored. */
  readonly onError?: (error: WebhookError, status: number) => void;
  /** Called once per delivery with its outcome (processed, duplicate, in flight, rejected, failed). A throw is logged and ignored. */
  readonly onDelivery?: (report: DeliveryReport) => void;
  /**
   * Spans and metrics through OpenTelemetry: `createOpenTelemetry(api)` with the
   * `@opentelemetry/api` module (an optional peer dependency). Default: none, and nothing is
   * called or allocated for it.
   */
  readonly telemetry?: Telemetry;
}

/** Defaults of {@link createReceiver}. */
export const RECEIVER_DEFAULTS = Object.freeze({
  toleranceSeconds: DEFAULT_TOLERANCE_SECONDS,
  maxBodyBytes: 1024 * 1024,
  bodyTimeoutMs: 30_000,
  maxHoldMs: 120_000,
  reconcile: 'on-conflict' as ReconcileMode,
  legacy: 'reject' as const,
});

/** Options after validation, with every default filled in. */
export interface ResolvedReceiverOptions {
  readonly secrets: readonly string[];
  readonly toleranceSeconds: number;
  readonly maxBodyBytes: number;
  readonly bodyTimeoutMs: number;
  readonly maxHoldMs: number;
  readonly dedupe: DedupeStore;
  readonly jobs: JobStore;
  readonly stores: TransactionalStores | undefined;
  readonly inbox: Inbox | undefined;
  readonly api: VideosClient | undefined;
  readonly reconcile: ReconcileMode;
  readonly legacy: 'reject' | 'accept';
  readonly now: () => number;
  readonly crypto: CryptoProvider;
  readonly logger: Logger;
  readonly onConflict: ReceiverOptions['onConflict'];
  readonly onError: ReceiverOptions['onError'];
  readonly onDelivery: ReceiverOptions['onDelivery'];
  readonly telemetry: Telemetry | undefined;
}

const consoleLogger: Logger = {
  warn: (message, fields) => console.warn(`[ai-stats-webhooks] ${message}`, fields ?? ''),
  error: (message, fields) => console.error(`[ai-stats-webhooks] ${message}`, fields ?? ''),
};

/** Validates receiver options once, at construction; errors name the option. */
export function resolveReceiverOptions(options: ReceiverOptions, runtime: Runtime): ResolvedReceiverOptions {
  if (typeof options !== 'object' || options === null) {
    throw invalidOption('options', 'an options object with at least { secret }', String(options));
  }
  const toleranceSeconds = numberOption(
    'toleranceSeconds',
    options.toleranceSeconds ?? RECEIVER_DEFAULTS.toleranceSeconds,
    { unit: 'seconds' },
  );
  const reconcile = oneOfOption('reconcile', options.reconcile ?? RECEIVER_DEFAULTS.reconcile, RECONCILE_MODES);
  const api = resolveApi(options.api, reconcile);
  const stores = transactionalStores(options);
  const dedupe = stores?.dedupe ?? storeOption('dedupe', options.dedupe, 'claim') ?? createMemoryDedupeStore();
  checkDedupeTtl(dedupe, toleranceSeconds);
  return {
    secrets: normalizeSecrets(options.secret),
    toleranceSeconds,
    maxBodyBytes: integerOption('maxBodyBytes', options.maxBodyBytes ?? RECEIVER_DEFAULTS.maxBodyBytes, {
      unit: 'bytes',
    }),
    bodyTimeoutMs: timerOption('bodyTimeoutMs', options.bodyTimeoutMs ?? RECEIVER_DEFAULTS.bodyTimeoutMs),
    maxHoldMs: timerOption('maxHoldMs', options.maxHoldMs ?? RECEIVER_DEFAULTS.maxHoldMs),
    dedupe,
    jobs: stores?.jobs ?? storeOption('jobs', options.jobs, 'update') ?? createMemoryJobStore(),
    stores,
    inbox: storeOption('inbox', options.inbox, 'enqueue'),
    api,
    reconcile,
    legacy: oneOfOption('legacy', options.legacy ?? RECEIVER_DEFAULTS.legacy, ['reject', 'accept']),
    now: options.now ?? Date.now,
    crypto: options.crypto ?? runtime.crypto,
    logger: safeLogger(options.logger ?? consoleLogger),
    onConflict: options.onConflict,
    onError: options.onError,
    onDelivery: options.onDelivery,
    telemetry: telemetryOption(options.telemetry),
  };
}

/**
 * The sender retries a failed delivery for about 25 minutes (attempts at 0, 1, 6 and 21 min, plus
 * scheduling jitter). A done key must outlive that plus the timestamp tolerance (a replayed
 * attempt is accepted that long after it was signed), or a late copy would be processed again.
 */
export const SENDER_RETRY_HORIZON_MS = 25 * 60_000;

// "Comfortably": twice the window, for clock skew between instances and the sender's jitter.
function checkDedupeTtl(dedupe: DedupeStore, toleranceSeconds: number): void {
  const ttlMs = dedupe.ttlMs;
  const minimum = 2 * (toleranceSeconds * 1000 + SENDER_RETRY_HORIZON_MS);
  if (ttlMs !== undefined && !(ttlMs >= minimum)) {
    throw invalidOption(
      'dedupe.ttlMs',
      `a dedupe TTL of at least ${minimum} ms (twice the ${toleranceSeconds} s tolerance plus the sender's 25-minute retry horizon), so a late retry or replay never finds its event forgotten; raise the store's ttlMs (default 24 h)`,
      `${ttlMs} ms`,
    );
  }
}

// A logger must never fail a delivery: each method swallows its own throw.
function safeLogger(logger: Logger): Logger {
  const wrap = (method: keyof Logger) => {
    const log = logger[method];
    if (typeof log !== 'function') return undefined;
    return (message: string, fields?: Record<string, unknown>) => {
      try {
        log.call(logger, message, fields);
      } catch {
        // Nowhere left to report it.
      }
    };
  };
  const safe: { -readonly [K in keyof Logger]: Logger[K] } = {};
  for (const method of ['debug', 'info', 'warn', 'error'] as const) {
    const wrapped = wrap(method);
    if (wrapped) safe[method] = wrapped;
  }
  return safe;
}

const RECONCILE_MODES: readonly ReconcileMode[] = ['on-conflict', 'always', 'never'];

function resolveApi(api: ReceiverOptions['api'], reconcile: ReconcileMode): VideosClient | undefined {
  if (api === undefined) {
    if (reconcile !== 'always') return undefined;
    throw invalidOption('api', 'a Video API client or { apiKey, baseUrl } when reconcile is "always"', 'none');
  }
  return typeof (api as VideosClient).getVideo === 'function'
    ? (api as VideosClient)
    : createVideosClient(api as VideosClientOptions);
}

function transactionalStores(options: ReceiverOptions): TransactionalStores | undefined {
  const stores = storeOption('stores', options.stores, 'transaction');
  if (stores !== undefined && (options.dedupe !== undefined || options.jobs !== undefined)) {
    throw invalidOption('stores', 'transactional stores instead of dedupe and jobs, not both', 'all three');
  }
  return stores;
}

function telemetryOption(telemetry: Telemetry | undefined): Telemetry | undefined {
  if (telemetry === undefined || typeof telemetry?.startDelivery === 'function') return telemetry;
  const isApi = typeof (telemetry as { trace?: unknown } | null)?.trace === 'object';
  const found = isApi ? 'the @opentelemetry/api module itself' : telemetry === null ? 'null' : typeof telemetry;
  throw invalidOption('telemetry', 'createOpenTelemetry(api) from @ai-stats-webhooks/core', found);
}

function storeOption<T extends object>(option: string, store: T | undefined, method: string): T | undefined {
  if (store === undefined || typeof (store as Record<string, unknown>)[method] === 'function') return store;
  throw invalidOption(option, `a store with a ${method}() method`, typeof store);
}
