import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { isLoopbackHostHeader } from './is-loopback-host.js';

/** The realm of the `WWW-Authenticate: Basic` challenge, so a browser asks for the token. */
export const ADMIN_REALM = 'ai-stats-webhooks';

const sha256 = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/**
 * The token a request presents: `Authorization: Bearer <token>`, or the password of HTTP Basic
 * (any user name), so a browser can open the dashboard. `undefined` when there is none.
 *
 * @example
 * ```ts
 * presentedToken('Basic ' + Buffer.from('admin:s3cret').toString('base64')); // 's3cret'
 * ```
 */
export function presentedToken(authorization: string | undefined): string | undefined {
  const match = /^(\S+)\s+(\S+)\s*$/.exec(authorization ?? '');
  if (!match) return undefined;
  const scheme = match[1]!.toLowerCase();
  if (scheme === 'bearer') return match[2];
  if (scheme !== 'basic') return undefined;
  const decoded = Buffer.from(match[2]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon === -1 ? undefined : decoded.slice(colon + 1);
}

/**
 * Express middleware that lets a request through only when it presents `token` (Bearer, or the
 * HTTP Basic password); else 401 JSON with a `WWW-Authenticate: Basic` challenge. Tokens are
 * compared in constant time, as SHA-256 digests of equal length. Without a token (the app then
 * refuses to listen off loopback) it lets through only requests whose `Host` names this machine
 * and the port they arrived on, and answers the others 403 (see {@link loopbackOnly}).
 *
 * @example
 * ```ts
 * app.all('/webhooks/ai-stats', webhooks); // open: the sender signs its deliveries
 * app.use(adminAuth(process.env.ADMIN_TOKEN)); // everything mounted after this needs the token
 * ```
 */
export function adminAuth(token: string | undefined): RequestHandler {
  if (!token) return loopbackOnly;
  const expected = sha256(token);
  return (req, res, next) => {
    const presented = presentedToken(req.headers.authorization);
    if (presented !== undefined && timingSafeEqual(sha256(presented), expected)) return next();
    res
      .status(401)
      .set('WWW-Authenticate', `Basic realm="${ADMIN_REALM}", charset="UTF-8"`)
      .json({
        error: 'unauthorized',
        message: `Expected Authorization: Bearer <ADMIN_TOKEN> (or HTTP Basic with ADMIN_TOKEN as the password), found ${
          presented === undefined ? 'no usable credentials' : 'a wrong token'
        }. Fix: send the token this app was started with.`,
      });
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
 * app.use(loopbackOnly); // what adminAuth(undefined) answers
 * ```
 */
export const loopbackOnly: RequestHandler = (req, res, next) => {
  if (isLoopbackHostHeader(req.headers.host)) return next();
  res.status(403).json({ error: 'forbidden', message: notLoopbackMessage(req.headers.host) });
};

/**
 * The 403 message of a request whose `Host` is not this machine, while ADMIN_TOKEN is unset.
 *
 * @example
 * ```ts
 * notLoopbackMessage('evil.example:3000'); // 'Expected a Host header of 127.0.0.1, localhost or [::1], …'
 * ```
 */
export function notLoopbackMessage(host: string | undefined): string {
  const found = host === undefined ? 'none' : JSON.stringify(host.slice(0, 100));
  return `Expected a Host header of 127.0.0.1, localhost or [::1] (any port), found ${found}: without ADMIN_TOKEN the dashboard, /api/* and /metrics answer only requests addressed to this machine, so that a web page cannot reach them through DNS rebinding. Fix: open the app at 127.0.0.1 or localhost, or set ADMIN_TOKEN to serve them under another name (a proxy's, a tunnel's).`;
}
