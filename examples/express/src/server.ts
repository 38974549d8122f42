// The Node entry: reads the environment, connects the stores, listens on HOST:PORT. Every
// start-up message goes through redactCredentials, so a REDIS_URL password never reaches a log.
import { redactCredentials } from '@ai-stats-webhooks/core';
import { createApp } from './app.js';
import { ConfigError, readConfig, type Config } from './config.js';
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
  try {
    return await createStores(config.redisUrl);
  } catch (error) {
    fail(
      `Could not connect to REDIS_URL (${config.redisUrl ?? ''}): expected a reachable Redis server, found ${(error as Error).message}. Fix: check the address, the password and that Redis is running.`,
    );
  }
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
const { app, poller } = started;
const server = app.listen(config.port, config.host, () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  console.log(
    `listening on http://${host}:${port} (webhooks: POST /webhooks/ai-stats; admin ${config.adminToken ? 'needs ADMIN_TOKEN' : 'open, loopback only'})`,
  );
  poller?.start();
});
server.on('error', (error) => fail(`Could not listen on ${config.host}:${config.port}: ${error.message}`));

const shutdown = () => {
  poller?.stop();
  server.close(() => void stores.close().then(() => process.exit(0)));
  setTimeout(() => process.exit(0), 2_000).unref();
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
