import { redactCredentials } from '@ai-stats-webhooks/core';
import { readEnv, type Env } from './read-env';
import { startInboxWorker } from './inbox-worker';
import { sharedStores } from './state';
import type { Stores } from './stores';

function fail(message: string): never {
  console.error(redactCredentials(message));
  process.exit(1);
}

/**
 * Runs when the server starts (instrumentation.ts). A missing or unusable setting (or a
 * non-loopback HOST without ADMIN_TOKEN) stops the server with a message that names the variable,
 * as the example-app contract asks; credentials in a URL are never printed. Then the stores open
 * (PGlite in DATA_DIR, or DATABASE_URL) and the database is migrated before the first request; a
 * failure there stops the server too; with PROCESSING=inbox the inbox worker starts. `next build`
 * runs none of it, so it needs no secrets.
 *
 * @example
 * ```ts
 * if (process.env.NEXT_RUNTIME === 'nodejs') await (await import('./lib/check-env')).checkEnv();
 * ```
 */
export async function checkEnv(): Promise<void> {
  if (process.env.NEXT_PHASE === 'phase-production-build') return;
  let env: Env;
  try {
    env = readEnv();
  } catch (error) {
    fail(`Configuration error: ${(error as Error).message}`);
  }
  const started = performance.now();
  let stores: Stores;
  try {
    stores = await sharedStores();
  } catch (error) {
    fail(storeFailure(env, (error as Error).message));
  }
  console.log(`state: ${stores.description} (ready in ${Math.round(performance.now() - started)} ms)`);
  if (env.processing !== 'inbox') return;
  try {
    await startInboxWorker(env, stores);
  } catch (error) {
    fail(`Could not start the inbox worker: ${(error as Error).message}`);
  }
}

function storeFailure(env: Env, found: string): string {
  if (env.store.kind === 'postgres')
    return `Could not open DATABASE_URL (${env.store.url}): expected a reachable PostgreSQL server where this user may create the schema ai_stats_webhooks, found ${found}. Fix: check the address, the password and that PostgreSQL is running.`;
  if (env.store.kind === 'pglite')
    return `Could not open the embedded database in DATA_DIR (${env.store.dataDir}): ${found}`;
  return `Start-up failed: ${found}`;
}
