// Cloudflare Workers entry (workerd): the same app as src/node.ts, configured from the Worker's
// bindings (wrangler `vars` and secrets, or Miniflare `bindings`). Bundle it with the `workerd` /
// `worker` exports conditions (wrangler does; so does `start:workerd`): @ai-stats-webhooks/core
// then resolves to its WebCrypto build, with no node:* import. GET /metrics uses prom-client, which
// requires Node built-ins: run the Worker with the `nodejs_compat` compatibility flag.
// State is in memory, per isolate: see README.md for what a deployment should share instead.
import type { Hono } from 'hono';
import { CONFIG_VARIABLES } from './config.js';
import { startUp, StartUpError } from './start-up.js';

let app: Hono | undefined;

/** The string bindings the app reads, as the environment record `readConfig` takes. */
function settingsFrom(env: Record<string, unknown>): Record<string, string | undefined> {
  const settings: Record<string, string | undefined> = {};
  for (const name of CONFIG_VARIABLES) if (typeof env[name] === 'string') settings[name] = env[name];
  return settings;
}

/**
 * The Worker: builds the app on its first request (workerd allows no I/O, timers or randomness at
 * module scope), then hands every request to it.
 *
 * @example
 * ```toml
 * # wrangler.toml
 * main = "src/worker.ts"
 * compatibility_flags = ["nodejs_compat"] # prom-client (GET /metrics)
 * [vars]
 * AI_STATS_BASE_URL = "https://api.phaseo.app/v1"
 * # wrangler secret put AI_STATS_WEBHOOK_SECRET; wrangler secret put ADMIN_TOKEN
 * ```
 */
const worker = {
  fetch(request: Request, env: Record<string, unknown>): Response | Promise<Response> {
    try {
      app ??= startUp(settingsFrom(env)).app;
    } catch (error) {
      // A bad binding: every request says so (no secret in the message), until it is fixed.
      const message = error instanceof StartUpError ? error.message : 'Start-up failed.';
      console.error(message);
      return Response.json({ error: 'misconfigured', message }, { status: 500 });
    }
    return app.fetch(request);
  },
};

export default worker;
