// Every setting comes from the environment (see README.md). A bad value stops the app at start-up
// with a message that names the variable; no message ever shows the credentials of a URL.
import { ConfigError, shownUrl } from './config-error.js';
import { isLoopbackHost } from './is-loopback-host.js';
import { readProcessing, readStoreSetting, type Processing, type StoreSetting } from './store-setting.js';

export { ConfigError } from './config-error.js';
export type { Processing, StoreSetting } from './store-setting.js';

/** The app's settings, read once at start-up by {@link readConfig}. */
export interface Config {
  port: number;
  /** Address to listen on. Default 127.0.0.1; any other than loopback requires `adminToken`. */
  host: string;
  /** Guards GET /, /api/* and /metrics (Bearer, or the HTTP Basic password); unset: open. */
  adminToken: string | undefined;
  secrets: string[];
  apiKey: string | undefined;
  baseUrl: string;
  toleranceSeconds: number;
  /** undefined: follow the API's poll_after_seconds; 0: poller off. */
  pollIntervalMs: number | undefined;
  /** Where jobs, processed ids and events live (DATA_DIR, DATABASE_URL, REDIS_URL, STORE). */
  store: StoreSetting;
  /** REDIS_URL when `store` is Redis (as `createStores(config.redisUrl)` takes it); else unset. */
  redisUrl: string | undefined;
  /** `inline` (default): handlers run before the answer; `inbox`: durable answer, background workers. */
  processing: Processing;
  /** The webhook URL that POST /api/jobs gives the Video API; unset: jobs are created without one. */
  publicWebhookUrl: string | undefined;
  /** Largest video GET /api/jobs/:id/content streams through. Default 512 MiB. */
  contentMaxBytes: number;
}

/** Defaults of {@link readConfig}. */
export const CONFIG_DEFAULTS = Object.freeze({
  port: 3000,
  host: '127.0.0.1',
  baseUrl: 'https://api.phaseo.app/v1',
  toleranceSeconds: 300,
  contentMaxBytes: 512 * 1024 * 1024,
});

/**
 * Reads and checks the environment; throws a {@link ConfigError} naming the first unusable setting.
 *
 * @example
 * ```ts
 * const config = readConfig(); // process.env
 * ```
 */
export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const host = env.HOST?.trim() || CONFIG_DEFAULTS.host;
  const adminToken = env.ADMIN_TOKEN?.trim() || undefined;
  if (!adminToken && !isLoopbackHost(host)) {
    throw new ConfigError(
      `ADMIN_TOKEN is required when HOST is not a loopback address: expected ADMIN_TOKEN to be set with HOST=${host}, found none, so the dashboard and /api/* would be open to the network. Fix: set ADMIN_TOKEN to a long random secret (openssl rand -hex 32), or HOST=127.0.0.1.`,
    );
  }
  const store = readStoreSetting(env);
  return {
    port: integer(env, 'PORT', CONFIG_DEFAULTS.port, 0, 65535),
    host,
    adminToken,
    secrets: readSecrets(env),
    apiKey: env.AI_STATS_API_KEY?.trim() || undefined,
    baseUrl: (readUrl(env, 'AI_STATS_BASE_URL', ['http', 'https'], false) ?? CONFIG_DEFAULTS.baseUrl).replace(
      /\/+$/,
      '',
    ),
    toleranceSeconds: integer(env, 'WEBHOOK_TOLERANCE_SECONDS', CONFIG_DEFAULTS.toleranceSeconds, 0, 86_400),
    pollIntervalMs: env.POLL_INTERVAL_MS?.trim() ? integer(env, 'POLL_INTERVAL_MS', 0, 0, 86_400_000) : undefined,
    store,
    redisUrl: store.kind === 'redis' ? store.url : undefined,
    processing: readProcessing(env, store),
    publicWebhookUrl: readUrl(env, 'PUBLIC_WEBHOOK_URL', ['http', 'https'], true),
    contentMaxBytes: integer(env, 'CONTENT_MAX_BYTES', CONFIG_DEFAULTS.contentMaxBytes, 1, Number.MAX_SAFE_INTEGER),
  };
}

function readSecrets(env: NodeJS.ProcessEnv): string[] {
  const secrets = (env.AI_STATS_WEBHOOK_SECRET ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (secrets.length === 0) {
    throw new ConfigError(
      'AI_STATS_WEBHOOK_SECRET is required: set it to the endpoint signing secret (whsec_…); several, comma-separated, during rotation.',
    );
  }
  return secrets;
}

/** An absolute URL with one of `schemes`, or undefined when unset. Credentials never reach a message. */
function readUrl(env: NodeJS.ProcessEnv, name: string, schemes: string[], credentials: boolean): string | undefined {
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  const expected = `an absolute ${schemes.map((s) => `${s}://`).join(' or ')} URL`;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`${name} must be ${expected}, found ${shownUrl(raw)}.`);
  }
  if (!schemes.includes(url.protocol.slice(0, -1))) {
    throw new ConfigError(`${name} must be ${expected}, found ${shownUrl(raw)}.`);
  }
  if (!credentials && (url.username || url.password)) {
    throw new ConfigError(
      `${name} must not contain a user or password, found ${shownUrl(raw)}. Fix: remove them; the API key goes in AI_STATS_API_KEY.`,
    );
  }
  return raw;
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer from ${min} to ${max}, found ${JSON.stringify(raw)}.`);
  }
  return value;
}
