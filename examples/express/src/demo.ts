// The recipe end to end on a laptop, with no account and no network: a mock AI Stats gateway,
// this example app, a few video jobs created through POST /api/jobs, signed webhooks (with a few
// duplicates and reordered deliveries), polling, and the dashboard.
//
//   pnpm demo            runs until Ctrl-C
//   pnpm demo --once     (or CI=true) exits 0 once every job is terminal and the dashboard answers
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMockGateway, type DeliveryRecord } from '@ai-stats-webhooks/testing';
import { createApp } from './app.js';
import { CONFIG_DEFAULTS, type Config } from './config.js';
import { createStores } from './stores.js';

const once = process.argv.includes('--once') || process.env.CI === 'true';
const tty = process.stdout.isTTY === true && !once;
const PROMPTS = [
  'A paper boat drifting down a rain-soaked street at dusk',
  'Timelapse of clouds rolling over a mountain ridge',
  'This one should fail: a prompt the provider rejects',
];

const gateway = await createMockGateway({
  timeScale: 10,
  seed: 2026,
  faults: { duplicate: 0.15, reorder: 0.15, reorderDelayMs: 400 },
});
// Listen first, so the app knows the webhook URL it gives the Video API (PUBLIC_WEBHOOK_URL).
const server = createServer();
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1');
await new Promise<void>((resolve) => server.once('listening', () => resolve()));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
// The demo keeps its state in memory (STORE=memory): it starts at once and leaves nothing behind.
// `pnpm --dir examples/express start` keeps it in PGlite under DATA_DIR instead.
const config: Config = {
  ...CONFIG_DEFAULTS,
  port: 0,
  adminToken: undefined,
  secrets: [gateway.secret],
  apiKey: gateway.apiKey,
  baseUrl: gateway.baseUrl,
  pollIntervalMs: 2_000,
  store: { kind: 'memory' },
  redisUrl: undefined,
  processing: 'inline',
  publicWebhookUrl: `${url}/webhooks/ai-stats`,
};
const { app, poller } = createApp(config, await createStores(config.store));
server.on('request', app);
poller?.start();
console.log(`mock gateway ${gateway.baseUrl} · example app ${url}`);

interface Job {
  id: string;
  status: string;
  progress: number;
  failure: { message?: string | null } | null;
}
const jobIds: string[] = [];
for (const prompt of PROMPTS) {
  const response = await fetch(`${url}/api/jobs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'mock/video-1', prompt }),
  });
  const job = (await response.json()) as Job;
  if (response.status !== 201) throw new Error(`POST /api/jobs answered ${response.status}: ${JSON.stringify(job)}`);
  jobIds.push(job.id);
  console.log(`created ${job.id} (${job.status}) "${prompt}"`);
}

const TERMINAL = new Set(['completed', 'failed', 'cancelled', 'expired']);
let printed = 0;
let barLines = 0;
const describe = (d: DeliveryRecord, reconciled: Set<string>): string => {
  const answer = d.responseStatus === null ? 'no answer' : String(d.responseStatus);
  const notes = [
    d.fault === 'duplicate' ? 'injected twin' : '',
    d.fault === 'reordered' ? 'held back' : '',
    d.responseBodyPreview?.includes('"duplicate":true') ? 'duplicate dropped' : '',
    d.responseStatus === 409 ? 'in flight elsewhere' : '',
    d.ok && reconciled.has(d.eventId) && d.fault !== 'duplicate' ? 'reconciled' : '',
  ].filter(Boolean);
  return `  …${d.jobId.slice(-6)}  ${d.deliveryKey.padEnd(42)} attempt ${d.attempt}  → ${answer}${notes.length ? `  (${notes.join(', ')})` : ''}`;
};
const bar = (job: Job): string => {
  const width = 30;
  const filled = Math.round((job.progress / 100) * width);
  const error = job.failure?.message ? `  ${job.failure.message}` : '';
  return `${job.id}  [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(job.progress).padStart(3)}%  ${job.status}${error}`;
};

const deadline = Date.now() + 120_000;
let jobs: Job[] = [];
for (;;) {
  jobs = await Promise.all(jobIds.map(async (id) => (await (await fetch(`${url}/api/jobs/${id}`)).json()) as Job));
  const events = (await (await fetch(`${url}/api/events`)).json()) as {
    data: { event_id: string; reconciled: boolean }[];
  };
  const reconciled = new Set(events.data.filter((e) => e.reconciled).map((e) => e.event_id));
  const deliveries = gateway.deliveries().filter((d) => d.fault !== 'dropped');
  let out = tty && barLines > 0 ? `\x1b[${barLines}F\x1b[J` : '';
  for (const d of deliveries.slice(printed)) out += `${describe(d, reconciled)}\n`;
  printed = deliveries.length;
  if (tty) {
    out += jobs.map(bar).join('\n') + '\n';
    barLines = jobs.length;
  }
  process.stdout.write(out);
  if (jobs.every((job) => TERMINAL.has(job.status))) break;
  if (Date.now() > deadline) {
    console.error('The jobs did not all finish within 120 s.');
    process.exit(1);
  }
  await new Promise((resolve) => setTimeout(resolve, 250));
}
await gateway.idle();
const late = gateway
  .deliveries()
  .filter((d) => d.fault !== 'dropped')
  .slice(printed);
if (tty && late.length > 0) process.stdout.write(`\x1b[${barLines}F\x1b[J`);
for (const d of late) console.log(describe(d, new Set()));
if (!tty || late.length > 0) for (const job of jobs) console.log(bar(job));

const dashboard = await fetch(`${url}/`);
const stats = (await (await fetch(`${url}/api/stats`)).json()) as { total: Record<string, number> };
const t = stats.total;
console.log(
  `\nEvery job is terminal. ${t.received} deliveries: ${t.processed} processed, ${t.duplicates} duplicates dropped, ` +
    `${t.in_flight} in flight (409), ${t.rejected} rejected, ${t.failed} failed, ${t.reconciled} reconciled.`,
);
console.log(`Dashboard: ${url}/  (answers ${dashboard.status})`);

if (once) {
  await poller?.stop();
  await gateway.close();
  server.closeAllConnections();
  server.close();
  process.exit(dashboard.status === 200 ? 0 : 1);
}
console.log('Serving until Ctrl-C.');
const stop = async () => {
  await poller?.stop();
  await gateway.close();
  server.closeAllConnections();
  server.close(() => process.exit(0));
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
