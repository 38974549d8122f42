import { readDeliveryHeaders, type HeadersInput } from './delivery-headers';
import type { ClaimResult } from './dedupe-store';
import type { ConflictReason } from './job-observation';
import type { JobState, JobTransition } from './job-state-machine';
import { parseDelivery } from './parse-event';
import {
  resolveReceiverOptions,
  type ConflictReport,
  type ReceiverOptions,
  type ResolvedReceiverOptions,
} from './receiver-options';
import { EVENT_PHASES, type BatchEvent, type VideoEvent, type WebhookEvent, type WebhookEventType } from './schemas';
import { createSettler } from './settle-event';
import { toBytes, verifyDelivery, type RawBody } from './signature';
import { isPromiseLike } from './maybe-promise';
import { storeFailure } from './store-failure';
import { WebhookError, isWebhookError, type WebhookErrorCode } from './webhook-error';

/** Reads the body with a byte limit; adapters pass one so the receiver decides when to read. */
export type BodyReader = (maxBytes: number) => Promise<RawBody>;

/** What an adapter hands to {@link Receiver.handle}. */
export interface ReceiverRequest {
  /** Checked when given: only POST is accepted. */
  readonly method?: string | undefined;
  readonly headers: HeadersInput;
  /** The raw bytes, or a reader that stops past `maxBytes` with a `payload_too_large` error. */
  readonly rawBody: RawBody | BodyReader;
}

/** What an adapter writes back. */
export interface ReceiverResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** Short JSON, never a secret. */
  readonly body: string;
}

/** Facts about the delivery being handled. */
export interface DeliveryInfo {
  readonly eventId: string;
  readonly attempt: number;
  readonly maxAttempts: number;
  readonly key: string;
  readonly prefix: 'phaseo' | 'ai-stats';
  readonly legacy: boolean;
  readonly receivedAt: Date;
}

/** What a handler receives: the event, the job state it produced, and how it got there. */
export interface WebhookContext<E extends WebhookEvent = WebhookEvent> {
  readonly event: E;
  readonly job: JobState;
  readonly transition: JobTransition;
  readonly delivery: DeliveryInfo;
  /** True when the state came from the Video API for this delivery. */
  readonly reconciled: boolean;
  readonly conflict: ConflictReport | undefined;
}

/** The event type a handler for `T` receives. */
export type EventFor<T extends WebhookEventType> = T extends `video.${string}` ? VideoEvent : BatchEvent;

/** A handler; a throw (or rejection) fails the delivery with 5xx so the sender retries. */
export type WebhookHandler<E extends WebhookEvent = WebhookEvent> = (
  context: WebhookContext<E>,
) => void | Promise<void>;

/** The receiver: register handlers, then pass requests to {@link Receiver.handle}. */
export interface Receiver {
  on<T extends WebhookEventType>(type: T | readonly T[], handler: WebhookHandler<EventFor<T>>): Receiver;
  onAny(handler: WebhookHandler): Receiver;
  /** Runs the whole pipeline; never throws. */
  handle(request: ReceiverRequest): Promise<ReceiverResponse>;
  /** The response for an error raised outside `handle` (adapters use it for body-read failures). */
  respondToError(error: unknown): ReceiverResponse;
  /** Validated options, for adapters (`maxBodyBytes`) and tools. */
  readonly options: ResolvedReceiverOptions;
}

// What handle() learnt about a delivery, for the onDelivery report.
interface Facts {
  eventId?: string;
  type?: string;
  jobId?: string;
  attempt?: number;
  duplicate?: boolean;
  reconciled: boolean;
  conflict?: ConflictReason | undefined;
  code?: WebhookErrorCode;
}

const KNOWN_TYPES = new Set<string>(['video', 'batch'].flatMap((kind) => EVENT_PHASES.map((p) => `${kind}.${p}`)));
// A 413 is answered before the body is read, so the connection cannot be reused for a next request.
const EXTRA_HEADERS: Partial<Record<WebhookErrorCode, Record<string, string>>> = {
  method_not_allowed: { allow: 'POST' },
  payload_too_large: { connection: 'close' },
};
const JSON_CONTENT_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

/**
 * Creates the receiver pipeline: limits → headers → verify → parse → claim → reconcile → apply →
 * dispatch → commit. 200 processed or duplicate, 400 malformed, 401 signature or timestamp,
 * 409 in flight, 413 too large, 415 not JSON, 5xx retryable.
 *
 * @example
 * ```ts
 * const receiver = createReceiver({ secret: process.env.AI_STATS_WEBHOOK_SECRET! });
 * receiver.on('video.completed', async ({ job }) => {
 *   await saveVideo(job.id, job.output?.contentUrl);
 * });
 * const { status, headers, body } = await receiver.handle({ method: 'POST', headers: req.headers, rawBody });
 * ```
 */
export function createReceiver(options: ReceiverOptions): Receiver {
  const opts = resolveReceiverOptions(options);
  const handlers = new Map<string, WebhookHandler[]>();
  const anyHandlers: WebhookHandler[] = [];

  const respond = (
    status: number,
    body: Record<string, unknown> | string,
    extra?: Record<string, string>,
  ): ReceiverResponse => ({
    status,
    // A fresh object per response: some servers (@hono/node-server) add headers to it.
    headers:
      extra === undefined
        ? { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' }
        : { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...extra },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

  const respondToError = (error: unknown): ReceiverResponse => {
    const failure = isWebhookError(error)
      ? error
      : new WebhookError(
          'handler_failed',
          'Expected the delivery to be processed, found an unexpected error; the sender will retry.',
          { cause: error },
        );
    if (failure.status >= 500)
      opts.logger.error?.(failure.message, { code: failure.code, cause: describe(failure.cause) });
    else opts.logger.debug?.(failure.message, { code: failure.code });
    try {
      opts.onError?.(failure, failure.status);
    } catch (hookError) {
      opts.logger.error?.('onError threw', { cause: describe(hookError) });
    }
    return respond(failure.status, { error: failure.code, message: failure.message }, EXTRA_HEADERS[failure.code]);
  };

  const checkSize = (body: unknown): Uint8Array => {
    const bytes = toBytes(body);
    if (bytes.length > opts.maxBodyBytes) throw tooLarge(opts.maxBodyBytes, bytes.length);
    return bytes;
  };

  const readBody = async (reader: BodyReader): Promise<Uint8Array> => {
    let body: unknown;
    try {
      body = await reader(opts.maxBodyBytes);
    } catch (error) {
      if (isWebhookError(error)) throw error;
      throw new WebhookError(
        'body_read_failed',
        'Expected a complete request body, found the stream failed or was aborted.',
        { cause: error },
      );
    }
    return checkSize(body);
  };

  const settle = createSettler(opts);

  const handleAndReport = async (request: ReceiverRequest): Promise<ReceiverResponse> => {
    const started = opts.now();
    const facts: Facts = { reconciled: false };
    const response = await run(request, facts);
    const duplicate = response.status === 200 && facts.duplicate === true;
    try {
      opts.onDelivery!({
        status: response.status,
        outcome:
          response.status < 300
            ? duplicate
              ? 'duplicate'
              : 'processed'
            : response.status === 409
              ? 'in_flight'
              : response.status < 500
                ? 'rejected'
                : 'failed',
        code: facts.code,
        eventId: facts.eventId,
        type: facts.type,
        jobId: facts.jobId,
        attempt: facts.attempt,
        reconciled: facts.reconciled,
        conflict: facts.conflict,
        durationMs: opts.now() - started,
      });
    } catch (hookError) {
      opts.logger.error?.('onDelivery threw', { cause: describe(hookError) });
    }
    return response;
  };

  const run = async (request: ReceiverRequest, facts: Facts | undefined): Promise<ReceiverResponse> => {
    try {
      if (request.method !== undefined && request.method !== 'POST' && request.method.toUpperCase() !== 'POST') {
        throw new WebhookError('method_not_allowed', `Expected POST, found ${request.method.slice(0, 16)}.`);
      }
      const headers = readDeliveryHeaders(request.headers);
      if (headers.contentType === undefined || !JSON_CONTENT_TYPE.test(headers.contentType)) {
        throw new WebhookError(
          'unsupported_media_type',
          `Expected Content-Type application/json, found ${headers.contentType === undefined ? 'none' : JSON.stringify(headers.contentType.slice(0, 80))}.`,
        );
      }
      const raw = request.rawBody;
      const body = typeof raw === 'function' ? await readBody(raw) : checkSize(raw);
      const pending = verifyDelivery(headers, body, opts.secrets, opts.toleranceSeconds, opts.now(), opts.crypto);
      const verified = isPromiseLike(pending) ? await pending : pending;
      const { event, dedupeKey, legacy } = parseDelivery(verified.body, headers, { legacy: opts.legacy });
      if (facts) {
        facts.eventId = event.id;
        facts.type = event.type;
        facts.jobId = event.data.id;
        facts.attempt = event.delivery.attempt;
      }

      let claim: ClaimResult;
      try {
        const pendingClaim = opts.dedupe.claim(dedupeKey);
        claim = isPromiseLike(pendingClaim) ? await pendingClaim : pendingClaim;
      } catch (error) {
        throw storeFailure('claim event', error);
      }
      if (claim.outcome === 'done') {
        if (facts) facts.duplicate = true;
        return respond(200, `{"ok":true,"duplicate":true,"event_id":${JSON.stringify(event.id)}}`);
      }
      if (claim.outcome === 'in_flight') {
        throw new WebhookError(
          'in_flight',
          `Expected event ${event.id.slice(0, 160)} to be new, found it being processed right now; retry later.`,
        );
      }
      try {
        const settled = await settle(event);
        if (facts) {
          facts.reconciled = settled.reconciled;
          facts.conflict = settled.conflict?.reason;
        }
        const context: WebhookContext = {
          event,
          job: settled.job,
          transition: settled.transition,
          reconciled: settled.reconciled,
          conflict: settled.conflict,
          delivery: {
            eventId: event.id,
            attempt: event.delivery.attempt,
            maxAttempts: event.delivery.max_attempts,
            key: event.delivery.key,
            prefix: verified.prefix,
            legacy,
            receivedAt: new Date(opts.now()),
          },
        };
        const dispatched = dispatch(context);
        if (dispatched !== undefined) await dispatched;
        let committed: boolean;
        try {
          const pendingCommit = opts.dedupe.commit(dedupeKey, claim.token);
          committed = isPromiseLike(pendingCommit) ? await pendingCommit : pendingCommit;
        } catch (error) {
          throw storeFailure('commit event', error);
        }
        if (!committed) {
          opts.logger.warn?.(
            `event ${event.id} was processed after its lease expired; raise leaseMs above the slowest handler`,
          );
        }
        // The hottest answer, written directly (about half the cost of stringifying an object).
        return respond(
          200,
          `{"ok":true,"event_id":${JSON.stringify(event.id)},"job_id":${JSON.stringify(settled.job.id)},"status":${JSON.stringify(settled.job.status)}}`,
        );
      } catch (error) {
        try {
          await opts.dedupe.release(dedupeKey, claim.token);
        } catch (releaseError) {
          opts.logger.error?.(`could not release the claim on ${event.id}; it unblocks when the lease expires`, {
            cause: describe(releaseError),
          });
        }
        throw error;
      }
    } catch (error) {
      if (facts) facts.code = isWebhookError(error) ? error.code : 'handler_failed';
      return respondToError(error);
    }
  };

  // Without onDelivery, handle() is run() itself: an async wrapper returning run()'s promise
  // would cost extra microtask turns on every delivery.
  const handle = opts.onDelivery ? handleAndReport : (request: ReceiverRequest) => run(request, undefined);

  // Handlers run in order, each awaited before the next; synchronous ones cost no promise.
  const dispatch = (context: WebhookContext): Promise<void> | undefined => {
    const specific = handlers.get(context.event.type);
    const queue =
      specific === undefined ? anyHandlers : anyHandlers.length === 0 ? specific : [...specific, ...anyHandlers];
    for (let i = 0; i < queue.length; i++) {
      let result: unknown;
      try {
        result = queue[i]!(context);
      } catch (error) {
        throw handlerFailure(error, context);
      }
      if (isPromiseLike(result)) return finishDispatch(result, queue, i + 1, context);
    }
    return undefined;
  };

  const receiver: Receiver = {
    on(type, handler) {
      for (const t of typeof type === 'string' ? [type] : type) {
        if (!KNOWN_TYPES.has(t)) {
          throw new WebhookError(
            'invalid_option',
            `on(): expected an event type such as "video.completed", found ${JSON.stringify(t)}.`,
            {
              details: { option: 'type' },
            },
          );
        }
        const list = handlers.get(t) ?? [];
        list.push(handler as WebhookHandler);
        handlers.set(t, list);
      }
      return receiver;
    },
    onAny(handler) {
      anyHandlers.push(handler);
      return receiver;
    },
    handle,
    respondToError,
    options: opts,
  };
  return receiver;
}

/**
 * What every adapter factory accepts: a receiver (to share one between routes), or the options to
 * create one.
 *
 * @example
 * ```ts
 * const receiver = toReceiver(receiverOrOptions);
 * ```
 */
export function toReceiver(receiverOrOptions: Receiver | ReceiverOptions): Receiver {
  return typeof (receiverOrOptions as Receiver).handle === 'function'
    ? (receiverOrOptions as Receiver)
    : createReceiver(receiverOrOptions as ReceiverOptions);
}

/** The error for a body over the limit; adapters throw it from their {@link BodyReader}. */
export function tooLarge(limit: number, found?: number): WebhookError {
  return new WebhookError(
    'payload_too_large',
    `Expected a body of at most ${limit} bytes, found ${found === undefined ? 'more' : found}. Raise maxBodyBytes if your deliveries are legitimately larger.`,
  );
}

async function finishDispatch(
  pending: PromiseLike<unknown>,
  queue: readonly WebhookHandler[],
  from: number,
  context: WebhookContext,
): Promise<void> {
  try {
    await pending;
    for (let i = from; i < queue.length; i++) await queue[i]!(context);
  } catch (error) {
    throw handlerFailure(error, context);
  }
}

function handlerFailure(error: unknown, context: WebhookContext): WebhookError {
  if (isWebhookError(error)) return error;
  return new WebhookError(
    'handler_failed',
    `Expected the ${context.event.type} handler to succeed, found it threw; the claim was released and the sender will retry.`,
    { cause: error },
  );
}

function describe(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  return value instanceof Error ? `${value.name}: ${value.message}` : String(value);
}
