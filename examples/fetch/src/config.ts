// The app's settings, read from the environment (Node, Deno, Bun) or a Worker's bindings (see
// README.md). A bad value stops the app at start-up with a message that names the variable; no
// message shows the credentials of a URL.
import { redactCredentials } from '@ai-stats-webhooks/core';
import type { AppConfig } from './app.js';
import { isLoopbackHost } from './is-loopback-host.js';
import { DURABLE_STATE_VARIABLES, refuseDurableState, WARNED_STATE_VARIABLES } from './memory-only.js';

/** The app's settings plus where to listen. */
export interface Config extends AppConfig {
  port: number;
  /** Address to listen on. Default 127.0.0.1; any other than loopback requires `adminToken`. */
  host: string;
  /** Settings read but not used (DATA_DIR), for the start-up output. */
  warnings: string[];
}

/**
 * Every environment variable the app reads: what the Deno entry asks permission for, and what the
 * workerd launcher hands the Worker as bindings.
 *
 * @example
 * ```ts
 * const env = Object.fromEntries(CONFIG_VARIABLES.map((name) => [name, Deno.env.get(name)]));
 * ```
 */
export const CONFIG_VARIABLES = [
  'PORT',
  'HOST',
  'ADMIN_TOKEN',
  'AI_STATS_WEBHOOK_SECRET',
  'AI_STATS_API_KEY',
  'AI_STATS_BASE_URL',
  'PUBLIC_WEBHOOK_URL',
  'WEBHOOK_TOLERANCE_SECONDS',
  // Read only to refuse them: state is in memory here (src/memory-only.ts).
  ...DURABLE_STATE_VARIABLES,
  ...WARNED_STATE_VARIABLES,
] as const;

/** A setting that is missing or unusable; its message names the variable and the fix. */
export class ConfigError extends Error {}

/**
 * Reads and checks the environment; throws a {@link ConfigError} naming the first unusable setting.
 *
 * @example
 * ```ts
 * const config = readConfig(process.env);
 * ```
 */
export function readConfig(env: Record<string, string | undefined>): Config {
  const host = env.HOST?.trim() || '127.0.0.1';
  const adminToken = env.ADMIN_TOKEN?.trim() || undefined;
  if (!adminToken && !isLoopbackHost(host)) {
    throw new ConfigError(
      `ADMIN_TOKEN is required when HOST is not a loopback address: expected ADMIN_TOKEN to be set with HOST=${host}, found none, so /api/* would be open to the network. Fix: set ADMIN_TOKEN to a long random secret (openssl rand -hex 32), or HOST=127.0.0.1.`,
    );
  }
  const secrets = (env.AI_STATS_WEBHOOK_SECRET ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (secrets.length === 0) {
    throw new ConfigError('AI_STATS_WEBHOOK_SECRET is required (the endpoint signing secret, whsec_…).');
  }
  const warnings = refuseDurableState(env, (message) => new ConfigError(message));
  return {
    port: integer(env, 'PORT', 3000, 65_535),
    host,
    adminToken,
    secrets,
    apiKey: env.AI_STATS_API_KEY?.trim() || undefined,
    baseUrl: readUrl(env, 'AI_STATS_BASE_URL', false),
    toleranceSeconds: integer(env, 'WEBHOOK_TOLERANCE_SECONDS', 300, 86_400),
    publicWebhookUrl: readUrl(env, 'PUBLIC_WEBHOOK_URL', true),
    warnings,
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
    throw new ConfigError(`${name} must be an absolute http:// or https:// URL, found ${shown(raw)}.`);
  }
  if (!credentials && (url.username || url.password)) {
    throw new ConfigError(
      `${name} must not contain a user or password, found ${shown(raw)}. Fix: remove them; the API key goes in AI_STATS_API_KEY.`,
    );
  }
  return raw;
}

/** A URL for a message: its user and password replaced by `***`, at most 200 characters. */
function shown(raw: string): string {
  let text = redactCredentials(raw);
  try {
    const url = new URL(raw);
    if (url.username || url.password) [url.username, url.password] = ['***', ''];
    text = url.href;
  } catch {
    // not a URL: the text redaction above applies
  }
  return JSON.stringify(text.slice(0, 200));
}

function integer(env: Record<string, string | undefined>, name: string, fallback: number, max: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new ConfigError(`${name} must be an integer from 0 to ${max}, found ${JSON.stringify(raw)}.`);
  }
  return value;
}
