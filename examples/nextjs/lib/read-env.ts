import { isLoopbackHost } from './is-loopback-host';
import { shownUrl } from './shown-url';
import { readProcessing, readStoreSetting, type Processing, type StoreSetting } from './store-setting';

/** The example's settings (see README.md). */
export interface Env {
  secrets: string[];
  apiKey: string | undefined;
  baseUrl: string | undefined;
  toleranceSeconds: number;
  /** What `next start -H` listens on (the start script passes HOST, default 127.0.0.1). */
  host: string;
  /** Guards GET /, /api/* and /metrics (proxy.ts); unset: open, on loopback only. */
  adminToken: string | undefined;
  /** The webhook URL that POST /api/jobs gives the Video API; unset: jobs are created without one. */
  publicWebhookUrl: string | undefined;
  /** Where jobs, processed ids and events live (DATA_DIR, DATABASE_URL, STORE). */
  store: StoreSetting;
  /** `inline` (default): handlers run before the answer; `inbox`: durable answer, background workers. */
  processing: Processing;
}

/**
 * Reads the contract's environment; throws an error naming the variable when it is unusable. No
 * message shows the credentials of a URL.
 *
 * @example
 * ```ts
 * const { secrets, adminToken } = readEnv();
 * ```
 */
export function readEnv(env: Record<string, string | undefined> = process.env): Env {
  const host = env.HOST?.trim() || '127.0.0.1';
  const adminToken = env.ADMIN_TOKEN?.trim() || undefined;
  if (!adminToken && !isLoopbackHost(host)) {
    throw new Error(
      `ADMIN_TOKEN is required when HOST is not a loopback address: expected ADMIN_TOKEN to be set with HOST=${host}, found none, so the dashboard and /api/* would be open to the network. Fix: set ADMIN_TOKEN to a long random secret (openssl rand -hex 32), or HOST=127.0.0.1.`,
    );
  }
  const secrets = (env.AI_STATS_WEBHOOK_SECRET ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (secrets.length === 0) {
    throw new Error('AI_STATS_WEBHOOK_SECRET is required: set it to the endpoint signing secret (whsec_…).');
  }
  const tolerance = env.WEBHOOK_TOLERANCE_SECONDS?.trim();
  if (tolerance && !/^\d+$/.test(tolerance)) {
    throw new Error(`WEBHOOK_TOLERANCE_SECONDS must be a non-negative integer, found "${tolerance}".`);
  }
  const store = readStoreSetting(env);
  return {
    secrets,
    apiKey: env.AI_STATS_API_KEY?.trim() || undefined,
    baseUrl: readUrl(env, 'AI_STATS_BASE_URL', false),
    toleranceSeconds: tolerance ? Number(tolerance) : 300,
    host,
    adminToken,
    publicWebhookUrl: readUrl(env, 'PUBLIC_WEBHOOK_URL', true),
    store,
    processing: readProcessing(env, store),
  };
}

/** An absolute http(s) URL, or undefined when unset. Credentials never reach a message. */
function readUrl(env: Record<string, string | undefined>, name: string, credentials: boolean): string | undefined {
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    // reported below
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new Error(`${name} must be an absolute http:// or https:// URL, found ${shownUrl(raw)}.`);
  }
  if (!credentials && (url.username || url.password)) {
    throw new Error(
      `${name} must not contain a user or password, found ${shownUrl(raw)}. Fix: remove them; the API key goes in AI_STATS_API_KEY.`,
    );
  }
  return raw;
}
