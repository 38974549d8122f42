import type { z } from 'zod';
import { apiErrorBodySchema } from '../wire/schemas';
import { WebhookError, type WebhookErrorCode } from '../errors/webhook-error';
import { readAnswerText } from './read-answer-text';
import { redactCredentials } from '../errors/redact-credentials';

/** Of an error body only this much is read, for its `error` and `reason`; past it the status alone decides. */
export const MAX_ERROR_BODY_BYTES = 64 * 1024;

const FIX: Partial<Record<WebhookErrorCode, string>> = {
  api_not_implemented: ' The Video API is switched off for this workspace; do not retry.',
  api_unauthorized: ' Check AI_STATS_API_KEY.',
  api_server_error: ' Retry with backoff.',
  api_retry_later: ' Temporary: retry after the delay the API asked for, with backoff.',
};

/**
 * The error for a non-2xx answer of the Video API: its code from the status
 * (`api_not_implemented`, `api_server_error`, `api_retry_later`, `api_not_found`,
 * `api_unauthorized`, `api_client_error`), the API's own error code and reason when they look like
 * identifiers (never its free text), and `details.retryAfterMs` from `Retry-After`.
 *
 * @example
 * ```ts
 * if (!response.ok) throw await apiError('GET /videos/G-1', response);
 * ```
 */
export async function apiError(what: string, response: Response): Promise<WebhookError> {
  const text = (await readAnswerText(response, MAX_ERROR_BODY_BYTES).catch(() => '')) ?? '';
  let body: z.infer<typeof apiErrorBodySchema> | undefined;
  try {
    const parsed = apiErrorBodySchema.safeParse(JSON.parse(text));
    if (parsed.success) body = parsed.data;
  } catch {
    // Upstream errors can be plain text; the status alone then decides.
  }
  const status = response.status;
  const code = apiErrorCode(status);
  // The API's error code and reason are identifiers from its schema; its free-text message and
  // any non-JSON body are upstream text, never quoted (answers reach the sender's dashboard).
  const found = body ? `${status} ${word(body.error)}${body.reason ? ` (${word(body.reason)})` : ''}` : `${status}`;
  const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), Date.now());
  return new WebhookError(code, `Expected ${what} to succeed, found ${found}.${FIX[code] ?? ''}`, {
    details: {
      apiStatus: status,
      ...(body ? { apiError: body.error } : {}),
      ...(body?.reason ? { apiReason: body.reason } : {}),
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    },
  });
}

// 408 Request Timeout, 425 Too Early and 429 Too Many Requests are temporary, like a 5xx.
function apiErrorCode(status: number): WebhookErrorCode {
  if (status === 501) return 'api_not_implemented';
  if (status >= 500) return 'api_server_error';
  if (status === 408 || status === 425 || status === 429) return 'api_retry_later';
  if (status === 404) return 'api_not_found';
  if (status === 401 || status === 403) return 'api_unauthorized';
  return 'api_client_error';
}

// An identifier from the API's error schema, shown only when it looks like one.
function word(value: string): string {
  return /^[\w.:-]{1,80}$/.test(value) ? value : '(unreadable)';
}

/**
 * Reads a `Retry-After` header (delay in seconds, or an HTTP date) as milliseconds from `nowMs`;
 * undefined when absent or unreadable. Capped at one hour.
 *
 * @example
 * ```ts
 * parseRetryAfter('30', Date.now()); // 30000
 * ```
 */
export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const seconds = /^\s*\d+\s*$/.test(value) ? Number(value) * 1000 : Date.parse(value) - nowMs;
  if (!Number.isFinite(seconds)) return undefined;
  return Math.min(Math.max(0, seconds), 3_600_000);
}

/**
 * No answer in time (api_timeout) or a network error (api_network_error), before or during the body.
 */
export function transportFailure(
  what: string,
  cause: unknown,
  timeoutMs: number,
  base: string,
  apiKey: string,
): WebhookError {
  // DOMException is not always an Error instance across realms; its name is what counts.
  const name = (cause as { name?: unknown } | null)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') {
    return new WebhookError(
      'api_timeout',
      `Expected ${what} to answer within ${timeoutMs} ms, found no answer. The API is slow or unreachable; the sender will retry.`,
      { cause },
    );
  }
  const text = redactCredentials(cause instanceof Error ? cause.message : String(cause))
    .split(apiKey)
    .join('***');
  return new WebhookError(
    'api_network_error',
    `Expected ${what} to reach ${redactCredentials(base)}, found a network error (${text.slice(0, 200)}). Check AI_STATS_BASE_URL and connectivity.`,
    { cause },
  );
}
