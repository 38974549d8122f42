// The Node entry: reads the environment, opens the stores (and migrates the database), listens on
// HOST:PORT. Every start-up message goes through redactCredentials, so a DATABASE_URL or REDIS_URL
// password never reaches a log.
import { redactCredentials } from '@ai-stats-webhooks/core';
import { createApp } from './app.js';
import { ConfigError, readConfig, type Config, type StoreSetting } from './config.js';
import { createStores, type Stores } from './stores.js';

function fail(message: string): never {
  console.error(redactCredentials(message));
  process.exit(1);
}

function configOrExit(): Config {
  try {
    return readConfig();
  } catch (error) {
    if (error instanceof ConfigError) fail(`Configuration error: ${error.message}`);
    fail(`Start-up failed: ${(error as Error).message}`);
  }
}

async function storesOrExit(config: Config): Promise<Stores> {
  const started = performance.now();
  try {
    const stores = await createStores(config.store);
    console.log(`state: ${stores.description} (ready in ${Math.round(performance.now() - started)} ms)`);
    return stores;
  } catch (error) {
    fail(storeFailure(config.store, (error as Error).message));
  }
}

function storeFailure(store: StoreSetting, found: string): string {
  if (store.kind === 'redis')
    return `Could not connect to REDIS_URL (${store.url}): expected a reachable Redis server, found ${found}. Fix: check the address, the password and that Redis is running.`;
  if (store.kind === 'postgres')
    return `Could not open DATABASE_URL (${store.url}): expected a reachable PostgreSQL server where this user may create the schema ai_stats_webhooks, found ${found}. Fix: check the address, the password and that PostgreSQL is running.`;
  if (store.kind === 'pglite') return `Could not open the embedded database in DATA_DIR (${store.dataDir}): ${found}`;
  return `Start-up failed: ${found}`;
}

const config = configOrExit();
if (!config.apiKey) console.warn('AI_STATS_API_KEY is not set: no reconciliation, polling or job creation.');
if (!config.publicWebhookUrl)
  console.warn('PUBLIC_WEBHOOK_URL is not set: POST /api/jobs creates jobs without a webhook.');
const stores = await storesOrExit(config);
let started;
try {
  started = createApp(config, stores);
} catch (error) {
  fail(`Start-up failed: ${(error as Error).message}`);
}
const { app, poller, worker } = started;
try {
  await worker?.start();
} catch (error) {
  fail(`Could not start the inbox worker: ${(error as Error).message}`);
}
const server = app.listen(config.port, config.host, () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  console.log(
    `listening on http://${host}:${port} (webhooks: POST /webhooks/ai-stats, ${config.processing}; admin ${config.adminToken ? 'needs ADMIN_TOKEN' : 'open, loopback only'})`,
  );
  poller?.start();
});
server.on('error', (error) => fail(`Could not listen on ${config.host}:${config.port}: ${error.message}`));

// Stop polling (its requests in flight are cancelled; 2 s at most for a store write under way),
// stop taking requests (those in flight get 3 s, then keep-alive connections, a sender's or a
// dashboard's, are cut), let the inbox worker finish (or hand back) the events it runs, then close
// the database. Whatever is still open after 8 s ends with the process.
const shutdown = async () => {
  setTimeout(() => process.exit(0), 8_000).unref();
  const closed = new Promise((resolve) => server.close(resolve));
  setTimeout(() => server.closeAllConnections(), 3_000).unref();
  await Promise.race([poller?.stop(), new Promise((resolve) => setTimeout(resolve, 2_000).unref())]);
  await closed;
  await worker?.stop({ timeoutMs: 5_000 });
  await stores.close();
  process.exit(0);
};
process.on('SIGTERM', () => void shutdown());
process.on('SIGINT', () => void shutdown());
