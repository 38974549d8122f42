import { acceptBody, checkContentType, checkMethod, type BodyReader } from './accept-request';
import { readDeliveryHeaders, type HeadersInput } from './delivery-headers';
import type { JobState, JobTransition } from './job-state-machine';
import { parseDelivery, type ParsedDelivery } from './parse-event';
import { describeError } from './redact-credentials';
import {
  resolveReceiverOptions,
  type ConflictReport,
  type DeliveryReport,
  type ReceiverOptions,
  type ResolvedReceiverOptions,
} from './receiver-options';
import { EVENT_PHASES, type BatchEvent, type VideoEvent, type WebhookEvent, type WebhookEventType } from './schemas';
import { createSettler, type SettledEvent } from './settle-event';
import { verifyDelivery, type RawBody } from './signature';
import { WebhookError, answerMessage, isWebhookError, type WebhookErrorCode } from './webhook-error';
import { createClaimRunner } from './with-claim';

export type { BodyReader } from './accept-request';

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

/**
 * What a handler receives: the event, the job state it produced, and how it got there.
 *
 * When it is applied: the job update is written (atomically, through the state machine) before
 * handlers run, so the job store and the poller see it at once. When a handler throws, the event
 * is not committed and the sender retries it; the job remembers the transition the event caused,
 * so on every attempt until the event commits handlers see the same `previous` and `changed`
 * (the event is not applied twice). With a transactional store the update is part of the
 * handler's transaction instead.
 */
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
  /** Runs the whole pipeline; never throws (nor rejects), whatever a hook or the logger does. */
  handle(request: ReceiverRequest): Promise<ReceiverResponse>;
  /** The response for an error raised outside `handle` (adapters use it for body-read failures). */
  respondToError(error: unknown): ReceiverResponse;
  /** Validated options, for adapters (`maxBodyBytes`) and tools. */
  readonly options: ResolvedReceiverOptions;
}

// What handle() learnt about a delivery, for the onDelivery report.
interface DeliveryRecord {
  event?: WebhookEvent;
  settled?: SettledEvent;
  duplicate: boolean;
  code?: WebhookErrorCode;
}

const KNOWN_TYPES = new Set<string>(['video', 'batch'].flatMap((kind) => EVENT_PHASES.map((p) => `${kind}.${p}`)));
// Answers sent before the body was read whole cannot keep the connection for a next request.
const EXTRA_HEADERS: Partial<Record<WebhookErrorCode, Record<string, string>>> = {
  method_not_allowed: { allow: 'POST' },
  payload_too_large: { connection: 'close' },
  body_timeout: { connection: 'close' },
};

/**
 * Creates the receiver pipeline: accept (405/415/413/408) → verify (401) → parse (400) → claim
 * (200 duplicate / 409) → settle (503 when the API must be retried) → dispatch (500 on throw) →
 * commit → respond. Answers are short JSON; a 5xx carries a fixed message per code (details go to
 * the logger).
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
  const settle = createSettler(opts);
  const withClaim = createClaimRunner(opts.dedupe, opts.logger);
  const respondToError = (error: unknown) => errorResponse(opts, error);

  const dispatch = async (context: WebhookContext): Promise<void> => {
    for (const handler of [...(handlers.get(context.event.type) ?? []), ...anyHandlers]) {
      try {
        await handler(context);
      } catch (error) {
        throw handlerFailure(error, context);
      }
    }
  };

  const process = async (parsed: ParsedDelivery, prefix: DeliveryInfo['prefix'], record: DeliveryRecord) => {
    const settled = await settle(parsed.event);
    record.settled = settled;
    await dispatch(handlerContext(opts, parsed, prefix, settled));
    return settled;
  };

  const run = async (request: ReceiverRequest, record: DeliveryRecord): Promise<ReceiverResponse> => {
    checkMethod(request.method);
    const headers = readDeliveryHeaders(request.headers);
    checkContentType(headers);
    const body = await acceptBody(request.rawBody, opts);
    const verified = await verifyDelivery(headers, body, opts.secrets, opts.toleranceSeconds, opts.now(), opts.crypto);
    const parsed = parseDelivery(verified.body, headers, { legacy: opts.legacy });
    record.event = parsed.event;
    const claimed = await withClaim(parsed.dedupeKey, () => process(parsed, verified.prefix, record));
    if (claimed.outcome === 'in_flight') throw inFlight(parsed.event);
    record.duplicate = claimed.outcome === 'done';
    return claimed.outcome === 'done'
      ? duplicateResponse(parsed.event)
      : processedResponse(parsed.event, claimed.value);
  };

  const handle = async (request: ReceiverRequest): Promise<ReceiverResponse> => {
    const started = opts.now();
    const record: DeliveryRecord = { duplicate: false };
    let response: ReceiverResponse;
    try {
      response = await run(request, record);
    } catch (error) {
      record.code = isWebhookError(error) ? error.code : 'handler_failed';
      response = respondToError(error);
    }
    if (opts.onDelivery) report(opts, deliveryReport(response, record, opts.now() - started));
    return response;
  };

  const receiver: Receiver = {
    on(type, handler) {
      for (const eventType of typeof type === 'string' ? [type] : type) {
        if (!KNOWN_TYPES.has(eventType)) {
          throw new WebhookError(
            'invalid_option',
            `on(): expected an event type such as "video.completed", found ${JSON.stringify(eventType)}.`,
            { details: { option: 'type' } },
          );
        }
        handlers.set(eventType, [...(handlers.get(eventType) ?? []), handler as WebhookHandler]);
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

function handlerContext(
  opts: ResolvedReceiverOptions,
  parsed: ParsedDelivery,
  prefix: DeliveryInfo['prefix'],
  settled: SettledEvent,
): WebhookContext {
  const { event } = parsed;
  return {
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
      prefix,
      legacy: parsed.legacy,
      receivedAt: new Date(opts.now()),
    },
  };
}

function jsonResponse(status: number, body: string, extra?: Record<string, string>): ReceiverResponse {
  // A fresh object per response: some servers (@hono/node-server) add headers to it.
  const headers = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };
  return { status, headers: extra === undefined ? headers : { ...headers, ...extra }, body };
}

// The hottest answers, written directly (about half the cost of stringifying an object).
function processedResponse(event: WebhookEvent, settled: SettledEvent): ReceiverResponse {
  return jsonResponse(
    200,
    `{"ok":true,"event_id":${JSON.stringify(event.id)},"job_id":${JSON.stringify(settled.job.id)},"status":${JSON.stringify(settled.job.status)}}`,
  );
}

function duplicateResponse(event: WebhookEvent): ReceiverResponse {
  return jsonResponse(200, `{"ok":true,"duplicate":true,"event_id":${JSON.stringify(event.id)}}`);
}

function inFlight(event: WebhookEvent): WebhookError {
  return new WebhookError(
    'in_flight',
    `Expected event ${event.id.slice(0, 160)} to be new, found it being processed right now; retry later.`,
  );
}

function errorResponse(opts: ResolvedReceiverOptions, error: unknown): ReceiverResponse {
  const failure = isWebhookError(error)
    ? error
    : new WebhookError(
        'handler_failed',
        'Expected the delivery to be processed, found an unexpected error; the sender will retry.',
        { cause: error },
      );
  if (failure.status >= 500) {
    opts.logger.error?.(describeError(failure)!, { code: failure.code, cause: describeError(failure.cause) });
  } else opts.logger.debug?.(failure.message, { code: failure.code });
  try {
    opts.onError?.(failure, failure.status);
  } catch (hookError) {
    opts.logger.error?.('onError threw', { cause: describeError(hookError) });
  }
  const body = JSON.stringify({ error: failure.code, message: answerMessage(failure) });
  return jsonResponse(failure.status, body, EXTRA_HEADERS[failure.code]);
}

function deliveryReport(response: ReceiverResponse, record: DeliveryRecord, durationMs: number): DeliveryReport {
  const { status } = response;
  const { event, settled } = record;
  return {
    status,
    outcome: outcomeOf(status, record.duplicate),
    code: record.code,
    eventId: event?.id,
    type: event?.type,
    jobId: event?.data.id,
    attempt: event?.delivery.attempt,
    reconciled: settled?.reconciled ?? false,
    conflict: settled?.conflict?.reason,
    durationMs,
  };
}

function outcomeOf(status: number, duplicate: boolean): DeliveryReport['outcome'] {
  if (status < 300) return duplicate ? 'duplicate' : 'processed';
  if (status === 409) return 'in_flight';
  return status < 500 ? 'rejected' : 'failed';
}

function report(opts: ResolvedReceiverOptions, deliveryReport: DeliveryReport): void {
  try {
    opts.onDelivery!(deliveryReport);
  } catch (hookError) {
    opts.logger.error?.('onDelivery threw', { cause: describeError(hookError) });
  }
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

// A handler's own retryable WebhookError keeps its code; anything else is handler_failed (500),
// so the sender retries: a handler failure never answers 4xx ("don't retry") and loses the event.
function handlerFailure(error: unknown, context: WebhookContext): WebhookError {
  if (isWebhookError(error) && error.retryable) return error;
  return new WebhookError(
    'handler_failed',
    `Expected the ${context.event.type} handler to succeed, found it threw; the claim was released and the sender will retry.`,
    { cause: error },
  );
}
