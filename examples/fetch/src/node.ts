// Node entry: reads the contract's environment and serves the app with @hono/node-server on
// HOST:PORT. Every start-up message is redacted (see start-up.ts).
import { serve } from '@hono/node-server';
import { redactCredentials } from '@ai-stats-webhooks/core';
import { listeningLines, startUp, StartUpError } from './start-up.js';

function fail(message: string): never {
  console.error(redactCredentials(message));
  process.exit(1);
}

let started: ReturnType<typeof startUp>;
try {
  started = startUp(process.env);
} catch (error) {
  fail(error instanceof StartUpError ? error.message : `Start-up failed: ${(error as Error).message}`);
}
const { config, app } = started;
const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
  for (const line of listeningLines(config, info.port, `Node ${process.version}`)) console.log(line);
});
server.on('error', (error) => fail(`Could not listen on ${config.host}:${config.port}: ${error.message}`));
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => server.close(() => process.exit(0)));
