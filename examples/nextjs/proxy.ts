import { adminAuth } from './lib/admin-auth';
import { malformedPathAnswer } from './lib/malformed-path';

// The receiver's own path (app/api/webhooks/ai-stats/route.ts): open, the sender signs its deliveries.
const WEBHOOK_PATH = '/api/webhooks/ai-stats';

/**
 * Runs before the dashboard and every /api/* route: with ADMIN_TOKEN set, they need
 * `Authorization: Bearer <token>` or HTTP Basic with the token as the password (else 401 with a
 * Basic challenge). The webhook route (POST /webhooks/ai-stats, rewritten to
 * /api/webhooks/ai-stats) and /healthz stay open. Without ADMIN_TOKEN they answer only a `Host` of
 * this machine (127.0.0.1, localhost, [::1] with the server's port), 403 otherwise, which keeps
 * DNS rebinding out. A path that does not decode (`/api/jobs/%ZZ`) is answered 404 here, once the
 * caller is let in. Returning nothing lets the request through.
 *
 * @example
 * ```sh
 * curl -H "Authorization: Bearer $ADMIN_TOKEN" http://127.0.0.1:3000/api/jobs
 * ```
 */
export async function proxy(request: Request): Promise<Response | undefined> {
  const { pathname } = new URL(request.url);
  if (pathname === WEBHOOK_PATH) return undefined;
  const token = process.env.ADMIN_TOKEN?.trim() || undefined;
  const refused = await adminAuth(request.headers.get('authorization'), token, request.headers.get('host'));
  return refused ?? malformedPathAnswer(pathname);
}

/**
 * The paths {@link proxy} runs on: the contract's `GET /`, `/api/*` and `/metrics`, except the
 * webhook route. A request that a proxy matches is read whole by Next.js (up to 10 MB) before the
 * route runs, so on the webhook route the kit's own body limit (413) and body timeout (408) would
 * never apply: its path stays out of the matcher (a negative lookahead), not just out of the check.
 */
export const config = { matcher: ['/', '/api', '/api/((?!webhooks/ai-stats/?$).*)', '/metrics'] };
