// Web APIs only (crypto.subtle, atob, TextEncoder), so the check also runs if proxy.ts is moved
// to the Edge runtime.
import { isLoopbackHostHeader } from './is-loopback-host';

/** The realm of the `WWW-Authenticate: Basic` challenge, so a browser asks for the token. */
export const ADMIN_REALM = 'ai-stats-webhooks';

const encoder = new TextEncoder();
const sha256 = async (value: string): Promise<Uint8Array> =>
  new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(value)));

/** Constant time for digests of equal length: every byte is compared, whatever differs first. */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  let difference = a.length ^ b.length;
  for (let i = 0; i < a.length; i++) difference |= a[i]! ^ (b[i] ?? 0);
  return difference === 0;
}

/**
 * The token a request presents: `Authorization: Bearer <token>`, or the password of HTTP Basic
 * (any user name), so a browser can open the dashboard. `undefined` when there is none.
 *
 * @example
 * ```ts
 * presentedToken('Basic ' + btoa('admin:s3cret')); // 's3cret'
 * ```
 */
export function presentedToken(authorization: string | null | undefined): string | undefined {
  const match = /^(\S+)\s+(\S+)\s*$/.exec(authorization ?? '');
  if (!match) return undefined;
  const scheme = match[1]!.toLowerCase();
  if (scheme === 'bearer') return match[2];
  if (scheme !== 'basic') return undefined;
  let decoded: string;
  try {
    decoded = new TextDecoder().decode(Uint8Array.from(atob(match[2]!), (c) => c.charCodeAt(0)));
  } catch {
    return undefined; // not base64
  }
  const colon = decoded.indexOf(':');
  return colon === -1 ? undefined : decoded.slice(colon + 1);
}

/**
 * Checks a request's `Authorization` header against `token` (Bearer, or the HTTP Basic password),
 * comparing SHA-256 digests in constant time. Answers `undefined` to let the request through, else
 * the 401 JSON response with a `WWW-Authenticate: Basic` challenge. Without a token it checks the
 * request's `Host` instead (see {@link loopbackOnly}): a missing `host` argument is refused.
 *
 * @example
 * ```ts
 * // proxy.ts
 * export const proxy = (request: Request) =>
 *   adminAuth(request.headers.get('authorization'), process.env.ADMIN_TOKEN, request.headers.get('host'));
 * ```
 */
export async function adminAuth(
  authorization: string | null | undefined,
  token: string | undefined,
  host?: string | null,
): Promise<Response | undefined> {
  if (!token) return loopbackOnly(host);
  const presented = presentedToken(authorization);
  if (presented !== undefined && sameBytes(await sha256(presented), await sha256(token))) return undefined;
  return Response.json(
    {
      error: 'unauthorized',
      message: `Expected Authorization: Bearer <ADMIN_TOKEN> (or HTTP Basic with ADMIN_TOKEN as the password), found ${
        presented === undefined ? 'no usable credentials' : 'a wrong token'
      }. Fix: send the token this app was started with.`,
    },
    { status: 401, headers: { 'WWW-Authenticate': `Basic realm="${ADMIN_REALM}", charset="UTF-8"` } },
  );
}

/**
 * The check when no ADMIN_TOKEN is set: `undefined` (let through) when the `Host` header is
 * 127.0.0.1, localhost or [::1] (any loopback address, any port), else 403 JSON naming
 * ADMIN_TOKEN. Without it, a web page on another name that DNS rebinding points at 127.0.0.1 could
 * read /api/jobs and create paid jobs, since the browser sees one origin.
 *
 * @example
 * ```ts
 * loopbackOnly('evil.example:3000'); // a 403 Response
 * ```
 */
export function loopbackOnly(host: string | null | undefined): Response | undefined {
  if (isLoopbackHostHeader(host)) return undefined;
  const found = host === undefined || host === null ? 'none' : JSON.stringify(host.slice(0, 100));
  return Response.json(
    {
      error: 'forbidden',
      message: `Expected a Host header of 127.0.0.1, localhost or [::1] (any port), found ${found}: without ADMIN_TOKEN the dashboard, /api/* and /metrics answer only requests addressed to this machine, so that a web page cannot reach them through DNS rebinding. Fix: open the app at 127.0.0.1 or localhost, or set ADMIN_TOKEN to serve them under another name (a proxy's, a tunnel's).`,
    },
    { status: 403 },
  );
}
