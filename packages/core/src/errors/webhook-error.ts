/**
 * Every failure the kit can report, as one closed union. Each code maps to exactly one HTTP
 * status in {@link WEBHOOK_ERROR_STATUS}; adapters never choose a status themselves.
 */
export type WebhookErrorCode =
  // request shape
  | 'method_not_allowed'
  | 'unsupported_media_type'
  | 'payload_too_large'
  | 'body_read_failed'
  | 'body_timeout'
  | 'body_already_parsed'
  // signature and timestamp
  | 'missing_signature'
  | 'missing_timestamp'
  | 'invalid_signature_format'
  | 'invalid_timestamp'
  | 'timestamp_too_old'
  | 'timestamp_in_future'
  | 'signature_mismatch'
  // payload
  | 'invalid_header'
  | 'header_mismatch'
  | 'invalid_json'
  | 'invalid_payload'
  | 'legacy_delivery'
  // processing
  | 'in_flight'
  | 'handler_failed'
  | 'reconcile_failed'
  | 'store_unavailable'
  // Video API client
  | 'api_timeout'
  | 'api_network_error'
  | 'api_server_error'
  | 'api_retry_later'
  | 'api_client_error'
  | 'api_unauthorized'
  | 'api_not_found'
  | 'api_not_implemented'
  | 'api_invalid_response'
  | 'invalid_job_id'
  // configuration
  | 'invalid_option';

/**
 * The one code → HTTP status table. A receiver answers with this status when the error ends a
 * delivery; 5xx tells the sender to retry, everything else is final for that attempt.
 *
 * @example
 * ```ts
 * WEBHOOK_ERROR_STATUS.signature_mismatch; // 401
 * ```
 */
export const WEBHOOK_ERROR_STATUS: Readonly<Record<WebhookErrorCode, number>> = Object.freeze({
  method_not_allowed: 405,
  unsupported_media_type: 415,
  payload_too_large: 413,
  body_read_failed: 400,
  body_timeout: 408,
  body_already_parsed: 500,
  missing_signature: 401,
  missing_timestamp: 401,
  invalid_signature_format: 401,
  invalid_timestamp: 401,
  timestamp_too_old: 401,
  timestamp_in_future: 401,
  signature_mismatch: 401,
  invalid_header: 400,
  header_mismatch: 400,
  invalid_json: 400,
  invalid_payload: 400,
  legacy_delivery: 400,
  in_flight: 409,
  handler_failed: 500,
  reconcile_failed: 503,
  store_unavailable: 503,
  api_timeout: 503,
  api_network_error: 503,
  api_server_error: 503,
  api_retry_later: 503,
  api_client_error: 502,
  api_unauthorized: 502,
  api_not_found: 502,
  api_not_implemented: 502,
  api_invalid_response: 502,
  invalid_job_id: 400,
  invalid_option: 500,
});

/** Extra facts attached to a {@link WebhookError}; never secrets. */
export interface WebhookErrorDetails {
  /** HTTP status the Video API answered, for `api_*` codes. */
  readonly apiStatus?: number;
  /** The API's error code (`not_found`, `not_implemented_yet`, …). */
  readonly apiError?: string;
  /** The API's `reason` (`video_api_temporarily_disabled`, …). */
  readonly apiReason?: string;
  /** How long the Video API asked us to wait (its `Retry-After`), for `api_retry_later` and `api_server_error`. */
  readonly retryAfterMs?: number;
  /** The option that failed validation, for `invalid_option`. */
  readonly option?: string;
  /** Anything else a caller may want to inspect. */
  readonly [key: string]: unknown;
}

/**
 * The kit's only error class. `code` is a closed union, `status` comes from
 * {@link WEBHOOK_ERROR_STATUS}, and the message says what was expected, what was found and how
 * to fix it.
 *
 * @example
 * ```ts
 * try {
 *   await verifySignature({ rawBody, headers, secret });
 * } catch (error) {
 *   if (error instanceof WebhookError && error.code === 'timestamp_too_old') {
 *     // check the server clock
 *   }
 * }
 * ```
 */
export class WebhookError extends Error {
  override readonly name = 'WebhookError';
  readonly code: WebhookErrorCode;
  readonly status: number;
  readonly details: WebhookErrorDetails;

  constructor(
    code: WebhookErrorCode,
    message: string,
    options: { cause?: unknown; details?: WebhookErrorDetails } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = WEBHOOK_ERROR_STATUS[code];
    this.details = options.details ?? {};
  }

  /** True when the sender should retry the delivery (the status is 5xx). */
  get retryable(): boolean {
    return this.status >= 500;
  }
}

/**
 * Narrows an unknown value to a {@link WebhookError}, optionally of one code.
 *
 * @example
 * ```ts
 * if (isWebhookError(error, 'api_not_found')) console.log(error.details.apiReason);
 * ```
 */
export function isWebhookError(value: unknown, code?: WebhookErrorCode): value is WebhookError {
  return value instanceof WebhookError && (code === undefined || value.code === code);
}

// What a 5xx answer says: fixed text per code, because the sender shows the first 500 bytes of
// our answer in its dashboard and a handler's or an upstream's own message may hold anything.
const SERVER_ANSWERS: Partial<Record<WebhookErrorCode, string>> = {
  handler_failed: 'A handler failed; the event was released and the sender will retry. Details are in the server log.',
  reconcile_failed:
    'The Video API could not settle a disagreement; the event was not committed and the sender will retry.',
  store_unavailable: 'The store is unavailable; nothing was acknowledged and the sender will retry.',
  invalid_option: 'The receiver is misconfigured; see the server log.',
};
// 5xx codes whose message is only the kit's own words (the mounting fix), kept in the answer.
const OWN_WORDS: ReadonlySet<WebhookErrorCode> = new Set(['body_already_parsed']);

/**
 * The message an HTTP answer carries for `error`: its own message for 4xx (it describes the
 * request) and for a body parser mounted first (the fix), a fixed text per code for other 5xx
 * (never a handler's or an upstream's words, nor a URL).
 *
 * @example
 * ```ts
 * JSON.stringify({ error: error.code, message: answerMessage(error) });
 * ```
 */
export function answerMessage(error: WebhookError): string {
  if (error.status < 500 || OWN_WORDS.has(error.code)) return error.message;
  return SERVER_ANSWERS[error.code] ?? 'Processing failed; the sender will retry. Details are in the server log.';
}
