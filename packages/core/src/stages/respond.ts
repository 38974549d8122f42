import { describeError } from '../errors/redact-credentials';
import { WebhookError, answerMessage, isWebhookError, type WebhookErrorCode } from '../errors/webhook-error';
import type { ResolvedReceiverOptions } from '../receiver/receiver-options';
import type { ReceiverResponse } from '../receiver/receiver-types';
import type { WebhookEvent } from '../wire/schemas';
import type { SettledEvent } from './settle';

// Answers sent before the body was read whole cannot keep the connection for a next request.
const EXTRA_HEADERS: Partial<Record<WebhookErrorCode, Record<string, string>>> = {
  method_not_allowed: { allow: 'POST' },
  payload_too_large: { connection: 'close' },
  body_timeout: { connection: 'close' },
};

function jsonResponse(status: number, body: string, extra?: Record<string, string>): ReceiverResponse {
  // A fresh object per response: some servers (@hono/node-server) add headers to it.
  const headers = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };
  return { status, headers: extra === undefined ? headers : { ...headers, ...extra }, body };
}

/**
 * The respond stage's success answer: 200 with the event, the job and its status.
 *
 * @example
 * ```ts
 * return processedResponse(event, settled); // {"ok":true,"event_id":…,"job_id":…,"status":"completed"}
 * ```
 */
export function processedResponse(event: WebhookEvent, settled: SettledEvent): ReceiverResponse {
  const { job } = settled;
  return jsonResponse(200, JSON.stringify({ ok: true, event_id: event.id, job_id: job.id, status: job.status }));
}

/**
 * Inbox mode's answer: 200 once the delivery is stored durably for a worker.
 *
 * @example
 * ```ts
 * return queuedResponse(event); // {"ok":true,"queued":true,"event_id":…}
 * ```
 */
export function queuedResponse(event: WebhookEvent): ReceiverResponse {
  return jsonResponse(200, JSON.stringify({ ok: true, queued: true, event_id: event.id }));
}

/**
 * The answer to an event processed before: 200 with `"duplicate": true`.
 *
 * @example
 * ```ts
 * return duplicateResponse(event);
 * ```
 */
export function duplicateResponse(event: WebhookEvent): ReceiverResponse {
  return jsonResponse(200, JSON.stringify({ ok: true, duplicate: true, event_id: event.id }));
}

/**
 * The answer to a failure: the status of its code, `{ error, message }` with a message safe to
 * show the sender ({@link answerMessage}); the details go to the logger and `onError` (whose throw
 * is logged, never raised).
 *
 * @example
 * ```ts
 * return errorResponse(opts, error); // 401 {"error":"signature_mismatch","message":"…"}
 * ```
 */
export function errorResponse(opts: ResolvedReceiverOptions, error: unknown): ReceiverResponse {
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
