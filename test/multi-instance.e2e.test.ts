import { SECRET, event, fixture, sign } from './helpers/deliveries';
import { startExample, type RunningApp } from './helpers/example-app';
import { startRedisServer, type RedisServer } from './helpers/redis-server';
import { startStubApi, type StubApi } from './helpers/stub-api';

// Three processes of examples/express sharing one real redis-server, driven over HTTP.

let redis: RedisServer;
let api: StubApi;
let instances: RunningApp[] = [];

beforeAll(async () => {
  redis = await startRedisServer({ persistent: true });
  api = await startStubApi('sk_multi');
  instances = await Promise.all(
    [0, 1, 2].map(() =>
      startExample('express', {
        AI_STATS_WEBHOOK_SECRET: SECRET,
        AI_STATS_API_KEY: 'sk_multi',
        AI_STATS_BASE_URL: api.baseUrl,
        REDIS_URL: redis.url,
        POLL_INTERVAL_MS: '0',
      }),
    ),
  );
}, 60_000);
afterAll(async () => {
  await Promise.all(instances.map((i) => i.stop()));
  await api?.close();
  await redis?.stop();
});

const post = (instance: RunningApp, d: ReturnType<typeof sign>) =>
  fetch(`${instance.url}/webhooks/ai-stats`, { method: 'POST', headers: d.headers, body: d.body }).then(async (r) => ({
    status: r.status,
    body: await r.text(),
  }));
const events = async (instance: RunningApp) => {
  const res = await fetch(`${instance.url}/api/events`);
  if (res.status !== 200) throw new Error(`GET /api/events answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { data: { event_id: string }[] }).data;
};
const job = async (instance: RunningApp, id: string) =>
  (await fetch(`${instance.url}/api/jobs/${id}`)).json() as Promise<{ status: string; progress: number }>;

it('processes each event exactly once however many instances receive it concurrently', async () => {
  const deliveries = Array.from({ length: 30 }, (_, i) =>
    sign(event(i % 2 ? 'video.completed.json' : 'video.progress.50.json', { jobId: `G-MULTI${i}` })),
  );
  const before = (await events(instances[0]!)).length;
  const answers = await Promise.all(
    deliveries.flatMap((d) => instances.flatMap((instance) => Array.from({ length: 4 }, () => post(instance, d)))),
  );
  expect(answers).toHaveLength(360);
  expect(answers.filter((a) => a.status !== 200 && a.status !== 409)).toEqual([]);
  const listed = (await events(instances[2]!)).slice(before).map((e) => e.event_id);
  expect(listed.sort()).toEqual(deliveries.map((d) => JSON.parse(d.body).id).sort());
  // Every instance sees the same log, and a later redelivery anywhere is a duplicate.
  expect((await events(instances[0]!)).length).toBe((await events(instances[1]!)).length);
  const again = await Promise.all(deliveries.map((d, i) => post(instances[i % 3]!, d)));
  expect(again.every((a) => a.status === 200 && a.body.includes('"duplicate":true'))).toBe(true);
  console.log(
    `360 concurrent deliveries of 30 events on 3 instances: ${answers.filter((a) => a.status === 200).length} × 200, ${answers.filter((a) => a.status === 409).length} × 409, 30 processed`,
  );
});

it('ends a job where the state machine says when conflicting, out-of-order events hit different instances', async () => {
  const id = 'G-MULTI-RACE';
  api.set(id, { ...fixture<Record<string, unknown>>('video.get.completed.json'), id });
  const [a, b, c] = instances as [RunningApp, RunningApp, RunningApp];
  const answers = await Promise.all([
    post(c, sign(event('video.progress.50.json', { jobId: id }))),
    post(a, sign(event('video.completed.json', { jobId: id }))),
    post(b, sign(event('video.status_changed.json', { jobId: id }))),
    post(c, sign(event('video.failed.attempt2.json', { jobId: id }))),
    post(a, sign(event('video.progress.50.json', { jobId: id, key: 'video.progress:30', progress: 30 }))),
  ]);
  expect(answers.map((x) => x.status)).toEqual([200, 200, 200, 200, 200]);
  for (const instance of instances)
    expect(await job(instance, id)).toMatchObject({ status: 'completed', progress: 100 });
});

it('answers 503 and processes nothing while Redis is down, then recovers after a restart', async () => {
  const d = sign(event('video.completed.json', { jobId: 'G-MULTI-DOWN' }));
  const before = (await events(instances[0]!)).length;
  await redis.stop();
  const down = await Promise.all(instances.map((i) => post(i, d)));
  expect(down.map((x) => x.status)).toEqual([503, 503, 503]);
  expect(down[0]!.body).toMatch(/store_unavailable/);
  await redis.start();
  let status = 0;
  for (let i = 0; i < 60 && status !== 200; i++) {
    status = (await post(instances[i % 3]!, d)).status;
    if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 200));
  }
  expect(status).toBe(200);
  // Each instance reconnects on its own schedule: another one may still answer 503 for a moment.
  let after = await events(instances[1]!).catch(() => undefined);
  for (let i = 0; i < 50 && after === undefined; i++) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    after = await events(instances[1]!).catch(() => undefined);
  }
  expect(after?.length).toBe(before + 1);
  // Redis kept what was processed before the outage (append-only file): still duplicates.
  expect((await post(instances[0]!, sign(event('video.completed.json', { jobId: 'G-MULTI1' })))).body).toMatch(
    /"duplicate":true/,
  );
}, 30_000);
