import { createApp } from './app.js';
import { ConfigError, readConfig } from './config.js';
import { createStores } from './stores.js';

let config;
try {
  config = readConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`Configuration error: ${error.message}`);
  process.exit(1);
}
if (!config.apiKey) console.warn('AI_STATS_API_KEY is not set: no reconciliation, polling or job creation.');

let stores;
try {
  stores = await createStores(config.redisUrl);
} catch (error) {
  console.error(`Could not connect to REDIS_URL: ${(error as Error).message}`);
  process.exit(1);
}
const { app, poller } = createApp(config, stores);
const server = app.listen(config.port, () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  console.log(`listening on http://localhost:${port} (webhooks: POST /webhooks/ai-stats)`);
  poller?.start();
});

const shutdown = () => {
  poller?.stop();
  server.close(() => void stores.close().then(() => process.exit(0)));
  setTimeout(() => process.exit(0), 2_000).unref();
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
