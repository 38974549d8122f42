import { join } from 'node:path';
import { createMockGateway, type MockGateway } from '@ai-stats-webhooks/testing';
import { ROOT, freePort, startExample, type RunningApp } from './helpers/example-app';
import { startRedisServer, type RedisServer } from './helpers/redis-server';
import { startRoundRobinProxy } from './helpers/round-robin-proxy';

// The chaos run: two instances sharing Redis behind a round-robin load balancer, fed by the mock
// gateway with duplicates, reordering, dropped deliveries, clock skew inside the tolerance, a
// secret rotation mid-run and 10 % handler faults, over more than 1,000 events.

const INSTANCE = `node ${join(ROOT, 'test/helpers/faulty-instance.mjs')}`;
const OLD = 'whsec_chaos_old_secret';
const NEW = 'whsec_chaos_new_secret';
const JOBS = 125;

let redis: RedisServer;
let gateway: MockGateway;
let instances: RunningApp[] = [];
let proxy: { url: string; close: () => Promise<void> };

beforeAll(async () => {
  redis = await startRedisServer();
  gateway = await createMockGateway({
    secret: OLD,
    timeScale: 600,
    seed: 424242,
    faults: {
      duplicate: 0.2,
      duplicateMode: 'concurrent',
      reorder: 0.2,
      reorderDelayMs: 120,
      drop: 0.05,
      clockSkewSeconds: 60,
    },
  });
  // The balancer's address is the webhook URL the app gives the Video API (PUBLIC_WEBHOOK_URL), so
  // the instances' ports are chosen first and the balancer starts before them.
  const ports = [await freePort(), await freePort()];
  proxy = await startRoundRobinProxy(ports);
  instances = await Promise.all(
    ports.map((port) =>
      startExample(
        'express',
        {
          AI_STATS_WEBHOOK_SECRET: `${OLD},${NEW}`,
          AI_STATS_API_KEY: gateway.apiKey,
          AI_STATS_BASE_URL: gateway.baseUrl,
          REDIS_URL: redis.url,
          POLL_INTERVAL_MS: '500',
          HANDLER_FAULT_RATE: '0.1',
          PUBLIC_WEBHOOK_URL: `${proxy.url}/webhooks/ai-stats`,
        },
        { command: INSTANCE, port },
      ),
    ),
  );
}, 60_000);

afterAll(async () => {
  await proxy?.close();
  await Promise.all(instances.map((i) => i.stop()));
  await gateway?.close();
  await redis?.stop();
});

it('processes every delivered event exactly once and ends every job in its true state', async () => {
  const ids: string[] = [];
  for (let i = 0; i < JOBS; i++) {
    if (i === JOBS / 2 - 0.5) gateway.rotateSecret(NEW); // mid-run, as rotate-secret does: at once, no dual signing
    const res = await fetch(`${proxy.url}/api/jobs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'mock/video-1',
        prompt: i % 10 === 3 ? `job ${i}: please fail` : `job ${i}`,
      }),
    });
    expect(res.status).toBe(201);
    ids.push(((await res.json()) as { id: string }).id);
  }
  await gateway.idle();

  type Job = { id: string; status: string };
  let jobs: Job[] = [];
  const deadline = Date.now() + 60_000;
  for (;;) {
    jobs = ((await (await fetch(`${proxy.url}/api/jobs`)).json()) as { data: Job[] }).data;
    if (jobs.length === JOBS && jobs.every((j) => j.status === 'completed' || j.status === 'failed')) break;
    if (Date.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }

  const deliveries = gateway.deliveries();
  const sent = deliveries.filter((d) => d.fault !== 'dropped');
  const eventIds = new Set(sent.map((d) => d.eventId));
  const acknowledged = new Set(sent.filter((d) => d.ok).map((d) => d.eventId));
  const gaveUp = [...eventIds].filter((id) => !acknowledged.has(id));
  const processed = (
    (await (await fetch(`${proxy.url}/api/events`)).json()) as { data: { event_id: string }[] }
  ).data.map((e) => e.event_id);
  const truth = new Map(gateway.jobs().map((j) => [j.id, j.status === 'completed' ? 'completed' : 'failed']));
  const wrong = ids.filter((id) => jobs.find((j) => j.id === id)?.status !== truth.get(id));
  const terminalProcessed = new Set(processed.filter((id) => /_video_(completed|failed)$/.test(id)));
  const recoveredByPoller = ids.filter((id) => !terminalProcessed.has(`evt_video_${id}_video_${truth.get(id)}`)).length;
  const counts = {
    jobs: JOBS,
    events: eventIds.size,
    attempts: sent.length,
    dropped: deliveries.length - sent.length,
    twins: sent.filter((d) => d.fault === 'duplicate').length,
    reordered: sent.filter((d) => d.fault === 'reordered').length,
    '200': sent.filter((d) => d.responseStatus === 200).length,
    '409': sent.filter((d) => d.responseStatus === 409).length,
    '5xx': sent.filter((d) => (d.responseStatus ?? 0) >= 500).length,
    other: sent.filter((d) => d.responseStatus !== 200 && d.responseStatus !== 409 && (d.responseStatus ?? 0) < 500)
      .length,
    retried: sent.filter((d) => d.attempt > 1).length,
    processed: processed.length,
    gaveUp: gaveUp.length,
    recoveredByPoller,
    wrongFinalState: wrong.length,
  };
  console.log(`chaos run: ${JSON.stringify(counts)}`);

  expect(eventIds.size).toBeGreaterThanOrEqual(1000);
  expect(new Set(processed).size).toBe(processed.length); // exactly once
  expect(new Set(processed)).toEqual(acknowledged); // every 2xx was processed; nothing processed without one
  expect(counts.other).toBe(0); // never a 4xx: skew inside tolerance, rotation covered by both secrets
  expect(counts['5xx']).toBeGreaterThan(0); // the handler faults happened and were retried
  expect(wrong).toEqual([]); // every job in its true final state, dropped deliveries recovered by polling
}, 180_000);
