import type { Inbox, InboxEntry } from '../dedupe/inbox';
import type { StoreTransaction, TransactionalStores } from '../dedupe/transactional-stores';
import { storeFailure } from '../errors/store-failure';
import { WebhookError, isWebhookError } from '../errors/webhook-error';
import type { DeliveryTrace } from '../observability/telemetry';
import type { Runtime } from '../runtime/runtime';
import { acceptBody, checkContentType, checkMethod } from '../stages/accept';
import { createClaimRunner } from '../stages/claim';
import { createDispatcher } from '../stages/dispatch';
import { parseDelivery, parseStoredEvent, type ParsedDelivery } from '../stages/parse';
import { duplicateResponse, errorResponse, processedResponse, queuedResponse } from '../stages/respond';
import { createSettler, type SettledEvent } from '../stages/settle';
import { verifyDelivery } from '../stages/verify';
import { readDeliveryHeaders } from '../wire/delivery-headers';
import type { WebhookEvent } from '../wire/schemas';
import { outcomeOf, reportDelivery, type DeliveryRecord } from './delivery-record';
import { resolveReceiverOptions, type ReceiverOptions, type ResolvedReceiverOptions } from './receiver-options';
import type { DeliveryInfo, Receiver, ReceiverRequest, ReceiverResponse, WebhookContext } from './receiver-types';

/**
 * The receiver pipeline, one stage per line in `run` (each in `stages/`, with the answers it can
 * give): accept (405/415/413/408) → verify (401) → parse (400) → claim (200 duplicate / 409;
 * commit after, release on throw) → settle (503 when the API must be retried) → dispatch (500 on
 * throw) → respond. `runtime` supplies the default crypto provider; the package entries bind it
 * (`createReceiver` in `index.node.ts` and `index.web.ts`).
 *
 * @example
 * ```ts
 * const receiver = createReceiverWith(nodeRuntime, { secret: process.env.AI_STATS_WEBHOOK_SECRET! });
 * ```
 */
export function createReceiverWith(runtime: Runtime, options: ReceiverOptions): Receiver {
  const opts = resolveReceiverOptions(options, runtime);
  const handlers = createDispatcher();
  const settle = createSettler(opts);
  const hold = { maxHoldMs: opts.maxHoldMs, now: opts.now };
  const withClaim = createClaimRunner(opts.dedupe, opts.logger, hold);

  // `trace` (with `telemetry` only): the spans of the stages, each started as its stage begins.
  const process = async (
    delivery: Delivery,
    record: DeliveryRecord,
    scope?: StoreTransaction,
    trace?: DeliveryTrace,
  ) => {
    trace?.stage('settle');
    record.settled = await settle(delivery.parsed.event, scope?.jobs, trace);
    trace?.settled(record.settled);
    await handlers.dispatch(handlerContext(opts, delivery, record.settled, scope?.tx), trace);
    trace?.stage('commit');
    return record.settled;
  };
  // claim → settle → dispatch → commit: in `scope` when given (an inbox worker's transaction), in a
  // transaction of its own when the stores are transactional, else under a lease.
  const claimAndProcess = (
    delivery: Delivery,
    record: DeliveryRecord,
    scope?: StoreTransaction,
    trace?: DeliveryTrace,
  ) => {
    const key = delivery.parsed.dedupeKey;
    trace?.stage('claim');
    const inScope = (tx: StoreTransaction) =>
      createClaimRunner(tx.dedupe, opts.logger, hold)(key, () => process(delivery, record, tx, trace));
    if (scope !== undefined) return inScope(scope);
    if (opts.stores !== undefined) return inTransaction(opts.stores, inScope);
    return withClaim(key, () => process(delivery, record, undefined, trace));
  };

  const run = async (
    request: ReceiverRequest,
    record: DeliveryRecord,
    trace?: DeliveryTrace,
  ): Promise<ReceiverResponse> => {
    trace?.stage('accept');
    checkMethod(request.method);
    const headers = readDeliveryHeaders(request.headers);
    checkContentType(headers);
    const body = await acceptBody(request.rawBody, opts);
    trace?.stage('verify');
    const verified = await verifyDelivery(headers, body, opts.secrets, opts.toleranceSeconds, opts.now(), opts.crypto);
    trace?.stage('parse');
    const parsed = parseDelivery(verified.body, headers, { legacy: opts.legacy });
    record.event = parsed.event;
    trace?.event(parsed.event);
    if (opts.inbox !== undefined) return enqueue(opts.inbox, parsed, verified.prefix, record, opts.now(), trace);
    const delivery = { parsed, prefix: verified.prefix, receivedAt: opts.now() };
    const claimed = await claimAndProcess(delivery, record, undefined, trace);
    trace?.endStage();
    if (claimed.outcome === 'in_flight') throw inFlight(parsed.event);
    record.duplicate = claimed.outcome === 'done';
    return claimed.outcome === 'done'
      ? duplicateResponse(parsed.event)
      : processedResponse(parsed.event, claimed.value);
  };

  const handle = async (request: ReceiverRequest): Promise<ReceiverResponse> => {
    // Durations on the monotonic clock: a wall clock stepped back (NTP, a resumed VM) is not a negative time.
    const started = performance.now();
    const record: DeliveryRecord = { duplicate: false };
    const trace = opts.telemetry?.startDelivery();
    let response: ReceiverResponse;
    try {
      response = await run(request, record, trace);
    } catch (error) {
      record.code = isWebhookError(error) ? error.code : 'handler_failed';
      trace?.fail(error);
      response = errorResponse(opts, error);
    }
    if (opts.onDelivery) reportDelivery(opts, response, record, performance.now() - started);
    trace?.end(outcomeOf(response.status, record.duplicate), response.status);
    return response;
  };

  const receiver: Receiver = {
    on(type, handler) {
      handlers.on(type, handler);
      return receiver;
    },
    onAny(handler) {
      handlers.onAny(handler);
      return receiver;
    },
    handle,
    async processQueued(entry, scope) {
      const delivery = deliveryOf(entry);
      const trace = opts.telemetry?.startProcessing(delivery.parsed.event);
      try {
        const claimed = await claimAndProcess(delivery, { duplicate: false }, scope, trace);
        const outcome = claimed.outcome === 'done' ? 'duplicate' : claimed.outcome;
        trace?.end(outcome);
        return outcome;
      } catch (error) {
        trace?.fail(error);
        trace?.end('failed');
        throw error;
      }
    },
    respondToError: (error) => errorResponse(opts, error),
    options: opts,
  };
  return receiver;
}

// A delivery past parse: the event, how it was signed, when it arrived.
interface Delivery {
  readonly parsed: ParsedDelivery;
  readonly prefix: DeliveryInfo['prefix'];
  readonly receivedAt: number;
}

function handlerContext(
  opts: ResolvedReceiverOptions,
  { parsed, prefix, receivedAt }: Delivery,
  settled: SettledEvent,
  tx: unknown,
): WebhookContext {
  const { event } = parsed;
  return {
    event,
    job: settled.job,
    transition: settled.transition,
    reconciled: settled.reconciled,
    conflict: settled.conflict,
    tx,
    delivery: {
      eventId: event.id,
      attempt: event.delivery.attempt,
      maxAttempts: event.delivery.max_attempts,
      key: event.delivery.key,
      prefix,
      legacy: parsed.legacy,
      receivedAt: new Date(receivedAt),
    },
  };
}

// Inbox mode's acknowledgement: 200 once the inbox has the delivery on disk.
async function enqueue(
  inbox: Inbox,
  parsed: ParsedDelivery,
  prefix: DeliveryInfo['prefix'],
  record: DeliveryRecord,
  receivedAt: number,
  trace: DeliveryTrace | undefined,
): Promise<ReceiverResponse> {
  trace?.stage('enqueue');
  const { event } = parsed;
  const entry: InboxEntry = {
    // Unique per event, as an inbox needs: the event id, or the key where the sender's id is ambiguous.
    eventId: parsed.dedupeKey,
    dedupeKey: parsed.dedupeKey,
    type: event.type,
    jobId: event.data.id,
    attempt: event.delivery.attempt,
    prefix,
    legacy: parsed.legacy,
    body: JSON.stringify(event),
    receivedAt: new Date(receivedAt),
  };
  let stored: { readonly duplicate: boolean };
  try {
    stored = await inbox.enqueue(entry);
  } catch (error) {
    throw storeFailure('store the delivery in the inbox', error);
  }
  record.queued = !stored.duplicate;
  record.duplicate = stored.duplicate;
  return stored.duplicate ? duplicateResponse(event) : queuedResponse(event);
}

// The entry was verified and parsed before it was stored; its text goes through the parse stage's
// checks again, because a stored row can change after (a corruption, a body written before a
// schema change). Such a body can never succeed: the error is not retryable, so an inbox worker
// dead-letters it at the first attempt.
function deliveryOf(entry: InboxEntry): Delivery {
  let event: WebhookEvent;
  try {
    event = parseStoredEvent(entry.body, entry.legacy);
  } catch (error) {
    throw new WebhookError(
      'invalid_payload',
      `Expected the stored body of inbox event ${entry.eventId.slice(0, 160)} to be the event it was when stored, found: ${isWebhookError(error) ? error.message : 'an unreadable body'} The row changed after it was stored (a corruption, or a body written before a schema change), so retrying cannot help. Fix: correct or delete the inbox row, then replay it.`,
      { cause: error },
    );
  }
  return {
    parsed: { event, dedupeKey: entry.dedupeKey, legacy: entry.legacy },
    prefix: entry.prefix,
    receivedAt: entry.receivedAt.getTime(),
  };
}

// The pipeline's own failures are WebhookErrors; anything else came from the database.
async function inTransaction<T>(
  stores: TransactionalStores,
  work: (scope: StoreTransaction) => Promise<T>,
): Promise<T> {
  try {
    return await stores.transaction(work);
  } catch (error) {
    throw storeFailure('run the transaction', error);
  }
}

function inFlight(event: WebhookEvent): WebhookError {
  return new WebhookError(
    'in_flight',
    `Expected event ${event.id.slice(0, 160)} to be new, found it being processed right now; retry later.`,
  );
}
