// Every setting comes from the environment (see README.md). A bad value stops the app at start-up
// with a message that names the variable.

export interface Config {
  port: number;
  secrets: string[];
  apiKey: string | undefined;
  baseUrl: string;
  toleranceSeconds: number;
  /** undefined: follow the API's poll_after_seconds; 0: poller off. */
  pollIntervalMs: number | undefined;
  /** Shared dedupe, job and event stores for several instances; unset: memory. */
  redisUrl: string | undefined;
}

export class ConfigError extends Error {}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const secrets = (env.AI_STATS_WEBHOOK_SECRET ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (secrets.length === 0) {
    throw new ConfigError(
      'AI_STATS_WEBHOOK_SECRET is required: set it to the endpoint signing secret (whsec_…); several, comma-separated, during rotation.',
    );
  }
  const redisUrl = env.REDIS_URL?.trim() || undefined;
  if (redisUrl && !/^rediss?:\/\//.test(redisUrl)) {
    throw new ConfigError(`REDIS_URL must be a redis:// or rediss:// URL, found "${redisUrl}".`);
  }
  return {
    port: integer(env, 'PORT', 3000, 0, 65535),
    secrets,
    apiKey: env.AI_STATS_API_KEY?.trim() || undefined,
    baseUrl: (env.AI_STATS_BASE_URL?.trim() || 'https://api.phaseo.app/v1').replace(/\/+$/, ''),
    toleranceSeconds: integer(env, 'WEBHOOK_TOLERANCE_SECONDS', 300, 0, 86_400),
    pollIntervalMs: env.POLL_INTERVAL_MS?.trim() ? integer(env, 'POLL_INTERVAL_MS', 0, 0, 86_400_000) : undefined,
    redisUrl,
  };
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
