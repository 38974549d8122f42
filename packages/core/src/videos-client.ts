import type { z } from 'zod';
import {
  apiErrorBodySchema,
  batchObjectSchema,
  videoListSchema,
  videoObjectSchema,
  type BatchObject,
  type VideoList,
  type VideoObject,
} from './schemas';
import { WebhookError, type WebhookErrorCode } from './webhook-error';

/** Defaults of {@link createVideosClient}. */
export const VIDEOS_CLIENT_DEFAULTS = Object.freeze({
  baseUrl: 'https://api.phaseo.app/v1',
  timeoutMs: 10_000,
  listLimit: 20,
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

/** The slice of the AI Stats / Phaseo API that receivers and pollers need. */
export interface VideosClient {
  getVideo(id: string): Promise<VideoObject>;
  listVideos(options?: ListVideosOptions): Promise<VideoList>;
  getBatch(id: string): Promise<BatchObject>;
  createVideo(body: {
    readonly model: string;
    readonly prompt: string;
    readonly [field: string]: unknown;
  }): Promise<VideoObject>;
  /** The raw `Response` of `GET /videos/{id}/content`, for streaming the bytes. */
  getContent(id: string, index?: number): Promise<Response>;
}

/**
 * Creates a typed client for the Video API. Every failure is a {@link WebhookError}:
 * `api_timeout`, `api_network_error`, `api_server_error` (5xx but 501), `api_not_implemented`
 * (501 `not_implemented` / `not_implemented_yet`), `api_not_found`, `api_unauthorized`,
 * `api_client_error` (other 4xx) or `api_invalid_response`.
 *
 * @example
 * ```ts
 * const api = createVideosClient({ apiKey: process.env.AI_STATS_API_KEY! });
 * const video = await api.getVideo('G-01KA7Q3M9V2X5C8B4N6D1F0H7J');
 * ```
 */
export function createVideosClient(options: VideosClientOptions): VideosClient {
  if (typeof options?.apiKey !== 'string' || options.apiKey.trim() === '') {
    throw new WebhookError(
      'invalid_option',
      'Option "apiKey": expected the Video API bearer key, found none. Set AI_STATS_API_KEY.',
      { details: { option: 'apiKey' } },
    );
  }
  const base = (options.baseUrl ?? VIDEOS_CLIENT_DEFAULTS.baseUrl).replace(/\/+$/, '');
  try {
    new URL(base);
  } catch {
    throw new WebhookError(
      'invalid_option',
      `Option "baseUrl": expected an absolute URL such as ${VIDEOS_CLIENT_DEFAULTS.baseUrl}, found ${JSON.stringify(base)}.`,
      {
        details: { option: 'baseUrl' },
      },
    );
  }
  const doFetch = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? VIDEOS_CLIENT_DEFAULTS.timeoutMs;
  const auth = `Bearer ${options.apiKey.trim()}`;

  const request = async (method: string, path: string, body?: unknown): Promise<Response> => {
    const what = `${method} ${path}`;
    let response: Response;
    try {
      response = await doFetch(`${base}${path}`, {
        method,
        headers: {
          authorization: auth,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        redirect: 'error',
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (cause) {
      // DOMException is not always an Error instance across realms; its name is what counts.
      const name = (cause as { name?: unknown } | null)?.name;
      const timedOut = name === 'TimeoutError' || name === 'AbortError';
      throw new WebhookError(
        timedOut ? 'api_timeout' : 'api_network_error',
        timedOut
          ? `Expected ${what} to answer within ${timeoutMs} ms, found no answer. The API is slow or unreachable; the sender will retry.`
          : `Expected ${what} to reach ${base}, found a network error (${cause instanceof Error ? cause.message : String(cause)}). Check AI_STATS_BASE_URL and connectivity.`,
        { cause },
      );
    }
    if (!response.ok) throw await apiError(what, response);
    return response;
  };

  const json = async <T extends z.ZodType>(
    schema: T,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<z.infer<T>> => {
    const response = await request(method, path, body);
    let parsed: unknown;
    try {
      parsed = await response.json();
    } catch (cause) {
      throw new WebhookError(
        'api_invalid_response',
        `Expected JSON from ${method} ${path}, found a body that is not JSON.`,
        {
          cause,
          details: { apiStatus: response.status },
        },
      );
    }
    const result = schema.safeParse(parsed);
    if (!result.success) {
      throw new WebhookError(
        'api_invalid_response',
        `Expected ${method} ${path} to answer the documented object, found: ${result.error.issues
          .slice(0, 3)
          .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
          .join('; ')}.`,
        { details: { apiStatus: response.status } },
      );
    }
    return result.data;
  };

  const id = (value: string): string => encodeURIComponent(value);

  return {
    getVideo: (videoId) => json(videoObjectSchema, 'GET', `/videos/${id(videoId)}`),
    getBatch: (batchId) => json(batchObjectSchema, 'GET', `/batches/${id(batchId)}`),
    createVideo: (body) => json(videoObjectSchema, 'POST', '/videos', body),
    listVideos: (list = {}) => {
      const params = new URLSearchParams({ limit: String(list.limit ?? VIDEOS_CLIENT_DEFAULTS.listLimit) });
      if (list.status && list.status.length > 0) params.set('status', list.status.join(','));
      if (list.order) params.set('order', list.order);
      if (list.after) params.set('after', list.after);
      return json(videoListSchema, 'GET', `/videos?${params.toString()}`);
    },
    getContent: (videoId, index) => request('GET', `/videos/${id(videoId)}/content${index ? `?index=${index}` : ''}`),
  };
}

async function apiError(what: string, response: Response): Promise<WebhookError> {
  const text = await response.text().catch(() => '');
  let body: z.infer<typeof apiErrorBodySchema> | undefined;
  try {
    const parsed = apiErrorBodySchema.safeParse(JSON.parse(text));
    if (parsed.success) body = parsed.data;
  } catch {
    // Upstream errors can be plain text; the status alone then decides.
  }
  const status = response.status;
  const code: WebhookErrorCode =
    status === 501
      ? 'api_not_implemented'
      : status >= 500
        ? 'api_server_error'
        : status === 404
          ? 'api_not_found'
          : status === 401 || status === 403
            ? 'api_unauthorized'
            : 'api_client_error';
  const found = body
    ? `${status} ${body.error}${body.reason ? ` (${body.reason})` : ''}${body.message ? `: ${body.message}` : ''}`
    : `${status} ${text.slice(0, 120)}`.trim();
  const fix: Partial<Record<WebhookErrorCode, string>> = {
    api_not_implemented: ' The Video API is switched off for this workspace; do not retry.',
    api_unauthorized: ' Check AI_STATS_API_KEY.',
    api_server_error: ' Retry with backoff.',
  };
  return new WebhookError(code, `Expected ${what} to succeed, found ${found}.${fix[code] ?? ''}`, {
    details: {
      apiStatus: status,
      ...(body ? { apiError: body.error } : {}),
      ...(body?.reason ? { apiReason: body.reason } : {}),
    },
  });
}
