import { join } from 'node:path';
import { SECRET, event, sign } from './helpers/deliveries';
import { ROOT, startExample, type RunningApp } from './helpers/example-app';
import { startRedisServer, type RedisServer } from './helpers/redis-server';

// Faults in the process that handles a delivery: a handler that throws, and a process killed with
// SIGKILL in the middle of a handler. examples/express as built, with test-only knobs
// (test/helpers/faulty-instance.mjs).

const INSTANCE = `node ${join(ROOT, 'test/helpers/faulty-instance.mjs')}`;
let redis: RedisServer;
const running: RunningApp[] = [];

beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await Promise.all(running.map((r) => r.stop()));
  await redis?.stop();
});

const instance = async (env: Record<string, string>) => {
  const app = await startExample(
    'express',
    { AI_STATS_WEBHOOK_SECRET: SECRET, REDIS_URL: redis.url, POLL_INTERVAL_MS: '0', ...env },
    { command: INSTANCE },
  );
  running.push(app);
  return app;
};
const post = (app: RunningApp, d: ReturnType<typeof sign>) =>
  fetch(`${app.url}/webhooks/ai-stats`, { method: 'POST', headers: d.headers, body: d.body }).then(async (r) => ({
    status: r.status,
    body: await r.text(),
  }));
const listed = async (app: RunningApp, id: string) =>
  ((await (await fetch(`${app.url}/api/events`)).json()) as { data: { event_id: string }[] }).data.filter(
    (e) => e.event_id === id,
  );

it('a handler that throws answers 5xx and releases the claim; the retry is processed once', async () => {
  const app = await instance({ FAIL_ON_ATTEMPT: '1' });
  const first = event('video.completed.json', { jobId: 'G-FAULT-THROW' });
  const res1 = await post(app, sign(first));
  expect(res1.status).toBe(500);
  expect(res1.body).toMatch(/handler_failed/);
  expect(await listed(app, first.body.id)).toHaveLength(0);
  expect((await post(app, sign(event('video.completed.json', { jobId: 'G-FAULT-THROW', attempt: 2 })))).status).toBe(
    200,
  );
  expect((await post(app, sign(event('video.completed.json', { jobId: 'G-FAULT-THROW', attempt: 3 })))).body).toMatch(
    /"duplicate":true/,
  );
  expect(await listed(app, first.body.id)).toHaveLength(1);
});

it('a process killed (SIGKILL) mid-handler blocks the event only until its lease expires; the retry is processed once', async () => {
  const leaseMs = 1_500;
  const doomed = await instance({ HANG_ON_EVENT: 'G-FAULT-KILL', LEASE_MS: String(leaseMs) });
  const survivor = await instance({ LEASE_MS: String(leaseMs) });
  const delivery = event('video.completed.json', { jobId: 'G-FAULT-KILL' });
  const hanging = post(doomed, sign(delivery)).catch((error: Error) => ({ status: 0, body: error.message }));
  for (let i = 0; i < 50 && !doomed.output().includes('handler hanging'); i++)
    await new Promise((r) => setTimeout(r, 20));
  const killedAt = Date.now();
  await doomed.kill();
  expect((await hanging).status).toBe(0); // the sender saw no answer: it will retry
  const during = await post(survivor, sign(event('video.completed.json', { jobId: 'G-FAULT-KILL', attempt: 2 })));
  expect(during.status).toBe(409);
  await new Promise((r) => setTimeout(r, Math.max(0, leaseMs - (Date.now() - killedAt)) + 200));
  const retry = await post(survivor, sign(event('video.completed.json', { jobId: 'G-FAULT-KILL', attempt: 3 })));
  expect(retry.status).toBe(200);
  expect(retry.body).not.toMatch(/duplicate/);
  expect(await listed(survivor, delivery.body.id)).toHaveLength(1);
}, 30_000);
