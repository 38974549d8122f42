// What every entry does first, on every runtime (Node, Deno, Bun, and the workerd launcher and
// Worker): read the settings, build the app, and say where it listens. Web APIs only.
import { redactCredentials } from '@ai-stats-webhooks/core';
import type { Hono } from 'hono';
import { createApp } from './app.js';
import { ConfigError, readConfig, type Config } from './config.js';

/** A start-up failure whose message is ready to print: it names the setting, never a credential. */
export class StartUpError extends Error {}

const failure = (error: unknown): StartUpError =>
  new StartUpError(
    redactCredentials(
      `${error instanceof ConfigError ? 'Configuration error' : 'Start-up failed'}: ${(error as Error).message}`,
    ),
  );

/**
 * Reads and checks the settings; throws a {@link StartUpError} naming the first unusable one.
 *
 * @example
 * ```ts
 * const config = readStartUpConfig(process.env); // e.g. in a launcher that starts another runtime
 * ```
 */
export function readStartUpConfig(env: Record<string, string | undefined>): Config {
  try {
    return readConfig(env);
  } catch (error) {
    throw failure(error);
  }
}

/**
 * The settings and the app built from them; throws a {@link StartUpError} when either fails.
 *
 * @example
 * ```ts
 * const { config, app } = startUp(process.env);
 * serve({ fetch: app.fetch, port: config.port, hostname: config.host });
 * ```
 */
export function startUp(env: Record<string, string | undefined>): { config: Config; app: Hono } {
  const config = readStartUpConfig(env);
  try {
    return { config, app: createApp(config) };
  } catch (error) {
    throw failure(error);
  }
}

/**
 * What an entry prints once it listens: the settings it does not use (DATA_DIR), a warning when
 * jobs would be created without a webhook, then the address, the runtime and whether the admin routes need the token.
 *
 * @example
 * ```ts
 * for (const line of listeningLines(config, 3000, 'deno')) console.log(line);
 * ```
 */
export function listeningLines(config: Config, port: number, runtime: string): string[] {
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  return [
    ...config.warnings,
    ...(config.publicWebhookUrl
      ? []
      : ['PUBLIC_WEBHOOK_URL is not set: POST /api/jobs creates jobs without a webhook.']),
    `listening on http://${host}:${port} on ${runtime} (webhooks: POST /webhooks/ai-stats; admin ${config.adminToken ? 'needs ADMIN_TOKEN' : 'open, loopback only'})`,
  ];
}
