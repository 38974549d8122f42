import type { StoreTransaction, TransactionalStores } from '../dedupe/transactional-stores';
import { storeFailure } from '../errors/store-failure';
import { WebhookError, isWebhookError } from '../errors/webhook-error';
import type { Runtime } from '../runtime/runtime';
import { acceptBody, checkContentType, checkMethod } from '../stages/accept';
import { createClaimRunner } from '../stages/claim';
import { createDispatcher } from '../stages/dispatch';
import { parseDelivery, type ParsedDelivery } from '../stages/parse';
import { duplicateResponse, errorResponse, processedResponse } from '../stages/respond';
import { createSettler, type SettledEvent } from '../stages/settle';
import { verifyDelivery } from '../stages/verify';
import { readDeliveryHeaders } from '../wire/delivery-headers';
import type { WebhookEvent } from '../wire/schemas';
import { reportDelivery, type DeliveryRecord } from './delivery-record';
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
  const withClaim = createClaimRunner(opts.dedupe, opts.logger);

  const process = async (
    parsed: ParsedDelivery,
    prefix: DeliveryInfo['prefix'],
    record: DeliveryRecord,
    scope?: StoreTransaction,
  ) => {
    record.settled = await settle(parsed.event, scope?.jobs);
    await handlers.dispatch(handlerContext(opts, parsed, prefix, record.settled, scope?.tx));
    return record.settled;
  };
  // claim → settle → dispatch → commit, in one transaction when the stores are transactional.
  const claimAndProcess = (parsed: ParsedDelivery, prefix: DeliveryInfo['prefix'], record: DeliveryRecord) => {
    const { stores } = opts;
    if (stores === undefined) return withClaim(parsed.dedupeKey, () => process(parsed, prefix, record));
    return inTransaction(stores, (scope) =>
      createClaimRunner(scope.dedupe, opts.logger)(parsed.dedupeKey, () => process(parsed, prefix, record, scope)),
    );
  };

  const run = async (request: ReceiverRequest, record: DeliveryRecord): Promise<ReceiverResponse> => {
    checkMethod(request.method);
    const headers = readDeliveryHeaders(request.headers);
    checkContentType(headers);
    const body = await acceptBody(request.rawBody, opts);
    const verified = await verifyDelivery(headers, body, opts.secrets, opts.toleranceSeconds, opts.now(), opts.crypto);
    const parsed = parseDelivery(verified.body, headers, { legacy: opts.legacy });
    record.event = parsed.event;
    const claimed = await claimAndProcess(parsed, verified.prefix, record);
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
      response = errorResponse(opts, error);
    }
    if (opts.onDelivery) reportDelivery(opts, response, record, opts.now() - started);
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
    respondToError: (error) => errorResponse(opts, error),
    options: opts,
  };
  return receiver;
}

function handlerContext(
  opts: ResolvedReceiverOptions,
  parsed: ParsedDelivery,
  prefix: DeliveryInfo['prefix'],
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
      receivedAt: new Date(opts.now()),
    },
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
