// Web APIs only (crypto.subtle, atob, TextEncoder): this file runs on Node, Workers, Bun and Deno.
import type { MiddlewareHandler } from 'hono';
import { isLoopbackHostHeader } from './is-loopback-host.js';

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
export function presentedToken(authorization: string | undefined): string | undefined {
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
 * Hono middleware that lets a request through only when it presents `token` (Bearer, or the HTTP
 * Basic password); else 401 JSON with a `WWW-Authenticate: Basic` challenge. Tokens are compared
 * as SHA-256 digests (WebCrypto), byte by byte in constant time. Without a token it lets through
 * only requests whose `Host` names this machine, and answers the others 403 (see
 * {@link loopbackOnly}).
 *
 * @example
 * ```ts
 * app.all('/webhooks/ai-stats', webhookRoute); // open: the sender signs its deliveries
 * app.use('*', adminAuth(env.ADMIN_TOKEN)); // every route registered after this needs the token
 * ```
 */
export function adminAuth(token: string | undefined): MiddlewareHandler {
  if (!token) return loopbackOnly;
  const expected = sha256(token);
  return async (c, next) => {
    const presented = presentedToken(c.req.header('authorization'));
    if (presented !== undefined && sameBytes(await sha256(presented), await expected)) return next();
    c.header('WWW-Authenticate', `Basic realm="${ADMIN_REALM}", charset="UTF-8"`);
    return c.json(
      {
        error: 'unauthorized',
        message: `Expected Authorization: Bearer <ADMIN_TOKEN> (or HTTP Basic with ADMIN_TOKEN as the password), found ${
          presented === undefined ? 'no usable credentials' : 'a wrong token'
        }. Fix: send the token this app was started with.`,
      },
      401,
    );
  };
}

/**
 * The guard when no ADMIN_TOKEN is set: a request passes when its `Host` header is 127.0.0.1,
 * localhost or [::1] (any loopback address, any port); else 403 JSON naming ADMIN_TOKEN. Without
 * it, a web page on another name that DNS rebinding points at 127.0.0.1 could read /api/jobs and
 * create paid jobs, since the browser sees one origin.
 *
 * @example
 * ```ts
 * app.use('*', loopbackOnly); // what adminAuth(undefined) answers
 * ```
 */
export const loopbackOnly: MiddlewareHandler = async (c, next) => {
  const host = c.req.header('host');
  if (isLoopbackHostHeader(host)) return next();
  const found = host === undefined ? 'none' : JSON.stringify(host.slice(0, 100));
  return c.json(
    {
      error: 'forbidden',
      message: `Expected a Host header of 127.0.0.1, localhost or [::1] (any port), found ${found}: without ADMIN_TOKEN the dashboard, /api/* and /metrics answer only requests addressed to this machine, so that a web page cannot reach them through DNS rebinding. Fix: open the app at 127.0.0.1 or localhost, or set ADMIN_TOKEN to serve them under another name (a proxy's, a tunnel's, a deployed Worker's).`,
    },
    403,
  );
};
