// Node entry: reads the contract's environment and serves the app with @hono/node-server.
import { serve } from '@hono/node-server';
import { createApp } from './app.js';

const secrets = (process.env.AI_STATS_WEBHOOK_SECRET ?? '')
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);
if (secrets.length === 0) {
  console.error('Configuration error: AI_STATS_WEBHOOK_SECRET is required (the endpoint signing secret, whsec_…).');
  process.exit(1);
}
const number = (name: string, fallback: number): number => {
  const raw = process.env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    console.error(`Configuration error: ${name} must be a non-negative integer, found "${raw}".`);
    process.exit(1);
  }
  return value;
};

const app = createApp({
  secrets,
  apiKey: process.env.AI_STATS_API_KEY?.trim() || undefined,
  baseUrl: process.env.AI_STATS_BASE_URL?.trim() || undefined,
  toleranceSeconds: number('WEBHOOK_TOLERANCE_SECONDS', 300),
});
const server = serve({ fetch: app.fetch, port: number('PORT', 3000) }, (info) => {
  console.log(`listening on http://localhost:${info.port} (webhooks: POST /webhooks/ai-stats)`);
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => server.close(() => process.exit(0)));
