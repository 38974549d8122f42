// Node entry: reads the contract's environment and serves the app with @hono/node-server on
// HOST:PORT. Every start-up message goes through redactCredentials.
import { serve } from '@hono/node-server';
import { redactCredentials } from '@ai-stats-webhooks/core';
import { createApp } from './app.js';
import { ConfigError, readConfig, type Config } from './config.js';

function fail(message: string): never {
  console.error(redactCredentials(message));
  process.exit(1);
}

let config: Config;
let app: ReturnType<typeof createApp>;
try {
  config = readConfig(process.env);
  app = createApp(config);
} catch (error) {
  fail(`${error instanceof ConfigError ? 'Configuration error' : 'Start-up failed'}: ${(error as Error).message}`);
}
if (!config.publicWebhookUrl)
  console.warn('PUBLIC_WEBHOOK_URL is not set: POST /api/jobs creates jobs without a webhook.');
const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  console.log(
    `listening on http://${host}:${info.port} (webhooks: POST /webhooks/ai-stats; admin ${config.adminToken ? 'needs ADMIN_TOKEN' : 'open, loopback only'})`,
  );
});
server.on('error', (error) => fail(`Could not listen on ${config.host}:${config.port}: ${error.message}`));
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => server.close(() => process.exit(0)));
