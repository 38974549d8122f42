import type { JobKind } from '@ai-stats-webhooks/core';
import { failInput } from './fail-input';
import { PUBLIC_BASE_URL } from './public-base-url';

/**
 * The API base URL payload URLs are built under when none is given: the public API, as the real
 * sender sends them. The mock gateway passes its own (`http://127.0.0.1:<port>/v1`) instead.
 *
 * @example
 * ```ts
 * `${DEFAULT_API_BASE_URL}/videos/${id}`; // 'https://api.phaseo.app/v1/videos/G-…'
 * ```
 */
export const DEFAULT_API_BASE_URL = `${PUBLIC_BASE_URL}/v1`;

/**
 * Checks an API base URL (what `AI_STATS_BASE_URL` takes, `/v1` included): an absolute http(s)
 * URL without user:password. Returns it without trailing slashes. Bad input throws a `TypeError`
 * or `RangeError` (expected / found / fix).
 *
 * @example
 * ```ts
 * readApiBaseUrl('http://127.0.0.1:4010/v1/', 'createDelivery', 'options.baseUrl'); // 'http://127.0.0.1:4010/v1'
 * ```
 */
export function readApiBaseUrl(value: unknown, who: string, name: string): string {
  const fix = `pass the API base URL with its /v1, e.g. gateway.baseUrl or '${DEFAULT_API_BASE_URL}', or leave it out.`;
  if (typeof value !== 'string') return failInput(TypeError, who, `${name} to be an http(s) URL string`, value, fix);
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:'))
    return failInput(RangeError, who, `${name} to be an absolute http:// or https:// URL`, value, fix);
  if (url.username !== '' || url.password !== '') {
    const shown = value.replace(/\/\/[^/@]*@/, '//***@');
    return failInput(RangeError, who, `${name} to be a URL without user:password`, shown, fix);
  }
  return value.replace(/\/+$/, '');
}

/**
 * The `websocket_url` of a job under an API base URL: `ws(s)://<host>/v1/async/<kind>/<id>/ws`.
 *
 * @example
 * ```ts
 * websocketUrl('https://api.phaseo.app/v1', 'video', 'G-01'); // 'wss://api.phaseo.app/v1/async/video/G-01/ws'
 * ```
 */
export function websocketUrl(baseUrl: string, kind: JobKind, id: string): string {
  return `${baseUrl.replace(/^http/, 'ws')}/async/${kind}/${id}/ws`;
}
