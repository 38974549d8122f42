import type { z } from 'zod';
import {
  batchObjectSchema,
  videoListSchema,
  videoObjectSchema,
  type BatchObject,
  type VideoList,
  type VideoObject,
} from '../wire/schemas';
import { assertAnswerFor, assertPlainJobId } from '../job/job-id';
import { timerOption } from '../errors/invalid-option';
import { WebhookError } from '../errors/webhook-error';
import { readAnswerText } from './read-answer-text';
import { apiError, transportFailure } from './api-error';
import { DEFAULT_BASE_URL, apiKeyOption, baseUrlOption } from './videos-client-options';

/** Defaults of {@link createVideosClient}. */
export const VIDEOS_CLIENT_DEFAULTS = Object.freeze({
  baseUrl: DEFAULT_BASE_URL,
  timeoutMs: 10_000,
  listLimit: 20,
  /** The longest JSON answer read (a list of 100 videos is about 200 KB); longer is api_invalid_response. */
  maxAnswerBytes: 4 * 1024 * 1024,
});

/** Options of {@link createVideosClient}. */
export interface VideosClientOptions {
  /** Base URL including `/v1`. Default `https://api.phaseo.app/v1`. */
  readonly baseUrl?: string;
  /** Bearer key. */
  readonly apiKey: string;
  /** Default `globalThis.fetch`. */
  readonly fetch?: typeof fetch;
  /** Per request. Default 10 s. */
  readonly timeoutMs?: number;
}

/** Options of {@link VideosClient.listVideos}. */
export interface ListVideosOptions {
  /** Public or internal words; sent comma-separated. */
  readonly status?: readonly string[];
  /** 1–100; always sent (the API returns an empty page without it). Default 20. */
  readonly limit?: number;
  readonly order?: 'asc' | 'desc';
  readonly after?: string;
}

/**
 * Per call: `signal` cancels the request and the read of its answer; the promise then rejects with
 * the signal's reason, as `fetch` does (only the client's own `timeoutMs` is `api_timeout`).
 */
export interface ApiCallOptions {
  readonly signal?: AbortSignal;
}

/** The slice of the AI Stats / Phaseo API that receivers and pollers need. */
export interface VideosClient {
  getVideo(id: string, options?: ApiCallOptions): Promise<VideoObject>;
  listVideos(options?: ListVideosOptions & ApiCallOptions): Promise<VideoList>;
  getBatch(id: string, options?: ApiCallOptions): Promise<BatchObject>;
  createVideo(
    body: {
      readonly model: string;
      readonly prompt: string;
      readonly [field: string]: unknown;
    },
    options?: ApiCallOptions,
  ): Promise<VideoObject>;
  /**
   * The raw `Response` of `GET /videos/{id}/content`, for streaming the bytes. `timeoutMs` covers
   * the answer's headers only: the bytes flow as fast as the caller reads them, for as long as it
   * takes; pass `signal` to bound or cancel the transfer.
   */
  getContent(id: string, index?: number, options?: ApiCallOptions): Promise<Response>;
}

/**
 * Creates a typed client for the Video API. Every failure is a {@link WebhookError}:
 * `api_timeout`, `api_network_error`, `api_server_error` (5xx but 501), `api_retry_later` (408,
 * 425, 429: temporary, like a 5xx), `api_not_implemented` (501 `not_implemented` /
 * `not_implemented_yet`), `api_not_found`, `api_unauthorized`, `api_client_error` (other 4xx),
 * `api_invalid_response` (not the documented object, or an object about another job than the one
 * asked for) or `invalid_job_id` (an id that is not a plain token never reaches a URL). A
 * `Retry-After` header is in `details.retryAfterMs`. Messages never quote an upstream body or the
 * credentials of a URL.
 *
 * @example
 * ```ts
 * const api = createVideosClient({ apiKey: process.env.AI_STATS_API_KEY! });
 * const video = await api.getVideo('G-01KA7Q3M9V2X5C8B4N6D1F0H7J');
 * ```
 */
export function createVideosClient(options: VideosClientOptions): VideosClient {
  const apiKey = apiKeyOption(options?.apiKey);
  const base = baseUrlOption(options.baseUrl ?? VIDEOS_CLIENT_DEFAULTS.baseUrl);
  const doFetch = options.fetch ?? globalThis.fetch;
  const timeoutMs = timerOption('timeoutMs', options.timeoutMs ?? VIDEOS_CLIENT_DEFAULTS.timeoutMs);
  const auth = `Bearer ${apiKey}`;
  // A transport failure while asking or while reading the answer: temporary, the sender retries.
  const failure = (what: string, cause: unknown): WebhookError =>
    transportFailure(what, cause, timeoutMs, base, apiKey);

  // `until: 'headers'` (a content download): the timeout stops once the headers are in.
  const request = async (method: string, path: string, send: RequestOptions = {}): Promise<Response> => {
    const what = `${method} ${path}`;
    const deadline = send.until === 'headers' ? headersDeadline(timeoutMs) : undefined;
    const timeout = deadline?.signal ?? AbortSignal.timeout(timeoutMs);
    let response: Response;
    try {
      response = await doFetch(`${base}${path}`, {
        method,
        headers: {
          authorization: auth,
          accept: 'application/json',
          ...(send.body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(send.body === undefined ? {} : { body: JSON.stringify(send.body) }),
        // Never follow a redirect (the bearer key stays with the API's host): 'manual' hands the
        // 3xx back, answered below as an error. Not 'error': workerd rejects that mode.
        redirect: 'manual',
        signal: send.signal === undefined ? timeout : AbortSignal.any([timeout, send.signal]),
      });
    } catch (cause) {
      // The caller's own cancellation is theirs, as fetch gives it; only our timeout is api_timeout.
      if (send.signal?.aborted) throw send.signal.reason;
      throw failure(what, cause);
    } finally {
      deadline?.clear();
    }
    if (!response.ok) throw await apiError(what, response);
    return response;
  };

  const json = async <T extends z.ZodType>(
    schema: T,
    method: string,
    path: string,
    send: RequestOptions = {},
  ): Promise<z.infer<T>> => {
    const response = await request(method, path, send);
    let text: string | undefined;
    try {
      // The timeout covers the body too: a stalled body is api_timeout.
      text = await readAnswerText(response, VIDEOS_CLIENT_DEFAULTS.maxAnswerBytes);
    } catch (cause) {
      if (send.signal?.aborted) throw send.signal.reason;
      throw failure(`${method} ${path}`, cause);
    }
    if (text === undefined) throw tooLongAnswer(`${method} ${path}`, response.status);
    return parseAnswer(schema, text, `${method} ${path}`, response.status);
  };

  // Ids come from signed bodies, but the client is not the weak link: only plain tokens reach a path.
  const id = (value: string): string => {
    assertPlainJobId(value);
    return value;
  };
  const answerFor = <T extends { readonly id: string }>(jobId: string, object: T): T => {
    assertAnswerFor(jobId, object);
    return object;
  };

  return {
    getVideo: async (videoId, call = {}) =>
      answerFor(videoId, await json(videoObjectSchema, 'GET', `/videos/${id(videoId)}`, { signal: call.signal })),
    getBatch: async (batchId, call = {}) =>
      answerFor(batchId, await json(batchObjectSchema, 'GET', `/batches/${id(batchId)}`, { signal: call.signal })),
    createVideo: (body, call = {}) => json(videoObjectSchema, 'POST', '/videos', { body, signal: call.signal }),
    listVideos: (list = {}) => {
      const params = new URLSearchParams({ limit: String(list.limit ?? VIDEOS_CLIENT_DEFAULTS.listLimit) });
      if (list.status && list.status.length > 0) params.set('status', list.status.join(','));
      if (list.order) params.set('order', list.order);
      if (list.after) params.set('after', list.after);
      return json(videoListSchema, 'GET', `/videos?${params.toString()}`, { signal: list.signal });
    },
    getContent: async (videoId, index, content = {}) =>
      request('GET', `/videos/${id(videoId)}/content${index ? `?index=${index}` : ''}`, {
        until: 'headers',
        signal: content.signal,
      }),
  };
}

interface RequestOptions {
  readonly body?: unknown;
  /** 'headers': the timeout ends when the answer's headers arrive (default: it covers the body). */
  readonly until?: 'headers';
  readonly signal?: AbortSignal | undefined;
}

// A timeout that the caller clears once the headers are in (AbortSignal.timeout cannot be cleared).
function headersDeadline(timeoutMs: number): { readonly signal: AbortSignal; clear(): void } {
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new DOMException('no answer within the timeout', 'TimeoutError')),
    timeoutMs,
  );
  return { signal: controller.signal, clear: () => clearTimeout(timer) };
}

function tooLongAnswer(what: string, apiStatus: number): WebhookError {
  const limit = `${VIDEOS_CLIENT_DEFAULTS.maxAnswerBytes / 1024 / 1024} MiB`;
  return new WebhookError(
    'api_invalid_response',
    `Expected ${what} to answer a JSON object of at most ${limit}, found a longer body; it was not read.`,
    { details: { apiStatus } },
  );
}

// A complete answer: JSON, then the documented object; neither is retried (api_invalid_response).
function parseAnswer<T extends z.ZodType>(schema: T, text: string, what: string, apiStatus: number): z.infer<T> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw new WebhookError('api_invalid_response', `Expected JSON from ${what}, found a body that is not JSON.`, {
      cause,
      details: { apiStatus },
    });
  }
  const result = schema.safeParse(parsed);
  if (!result.success) {
    throw new WebhookError(
      'api_invalid_response',
      `Expected ${what} to answer the documented object, found: ${result.error.issues
        .slice(0, 3)
        .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
        .join('; ')}.`,
      { details: { apiStatus } },
    );
  }
  return result.data;
}
