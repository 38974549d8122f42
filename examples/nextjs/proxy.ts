import { adminAuth } from './lib/admin-auth';

// The receiver's own path (app/api/webhooks/ai-stats/route.ts): open, the sender signs its deliveries.
const WEBHOOK_PATH = '/api/webhooks/ai-stats';

/**
 * Runs before the dashboard and every /api/* route: with ADMIN_TOKEN set, they need
 * `Authorization: Bearer <token>` or HTTP Basic with the token as the password (else 401 with a
 * Basic challenge). The webhook route (POST /webhooks/ai-stats, rewritten to
 * /api/webhooks/ai-stats) and /healthz stay open. Without ADMIN_TOKEN they answer only a `Host` of
 * this machine (127.0.0.1, localhost, [::1] with the server's port), 403 otherwise, which keeps
 * DNS rebinding out. Returning nothing lets the request through.
 *
 * @example
 * ```sh
 * curl -H "Authorization: Bearer $ADMIN_TOKEN" http://127.0.0.1:3000/api/jobs
 * ```
 */
export async function proxy(request: Request): Promise<Response | undefined> {
  if (new URL(request.url).pathname === WEBHOOK_PATH) return undefined;
  const token = process.env.ADMIN_TOKEN?.trim() || undefined;
  return adminAuth(request.headers.get('authorization'), token, request.headers.get('host'));
}

/** The paths {@link proxy} runs on (the contract's `GET /`, `/api/*` and `/metrics`). */
export const config = { matcher: ['/', '/api/:path*', '/metrics'] };
