import { createMockGateway, type MockFaults, type MockGateway } from '@ai-stats-webhooks/testing';
import { freePort, runExample, startExample, type RunningApp } from './helpers/example-app';

// Each example app as a process against the mock gateway: jobs created through POST /api/jobs,
// signed webhooks with faults on, and every job must end in its true state with each event
// processed exactly once.

interface Case {
  name: string;
  faults: MockFaults;
  env?: Record<string, string>;
}
const cases: Case[] = [
  {
    name: 'express',
    faults: { duplicate: 0.3, reorder: 0.3, reorderDelayMs: 150, drop: 0.15 },
    env: { POLL_INTERVAL_MS: '300' },
  },
  { name: 'fetch', faults: { duplicate: 0.3, duplicateMode: 'concurrent', reorder: 0.3, reorderDelayMs: 150 } },
  {
    name: 'nextjs',
    faults: { duplicate: 0.3, duplicateMode: 'sequential', reorder: 0.3, reorderDelayMs: 150, legacyHeaders: true },
  },
];

const TERMINAL = new Set(['completed', 'failed']);

describe.each(cases)('examples/$name recipe end to end', ({ name, faults, env }) => {
  let gateway: MockGateway;
  let app: RunningApp;
  beforeAll(async () => {
    gateway = await createMockGateway({ timeScale: 50, seed: 11, faults });
    // The app gives the gateway its own webhook URL (PUBLIC_WEBHOOK_URL), so the port is chosen first.
    const port = await freePort();
    app = await startExample(
      name,
      {
        AI_STATS_WEBHOOK_SECRET: gateway.secret,
        AI_STATS_API_KEY: gateway.apiKey,
        AI_STATS_BASE_URL: gateway.baseUrl,
        PUBLIC_WEBHOOK_URL: `http://127.0.0.1:${port}/webhooks/ai-stats`,
        ...env,
      },
      { port },
    );
  }, 90_000);
  afterAll(async () => {
    await app?.stop();
    await gateway?.close();
  });

  it('every job reaches its true terminal state, each event listed exactly once', async () => {
    const prompts = ['a boat', 'a cloud', 'make it fail', 'a city at night', 'another failure please'];
    const ids: string[] = [];
    for (const prompt of prompts) {
      const res = await fetch(`${app.url}/api/jobs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'mock/video-1', prompt }),
      });
      expect(res.status).toBe(201);
      const job = (await res.json()) as { id: string; status: string; source: string };
      expect(job).toMatchObject({ status: 'queued', source: 'create' });
      ids.push(job.id);
    }
    await gateway.idle();
    const deadline = Date.now() + 30_000;
    let jobs: { id: string; status: string }[] = [];
    do {
      jobs = ((await (await fetch(`${app.url}/api/jobs`)).json()) as { data: typeof jobs }).data;
      if (jobs.filter((j) => ids.includes(j.id)).every((j) => TERMINAL.has(j.status))) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    } while (Date.now() < deadline);

    for (const id of ids) {
      expect([id, jobs.find((j) => j.id === id)?.status]).toEqual([
        id,
        gateway.job(id)!.status === 'completed' ? 'completed' : 'failed',
      ]);
    }
    const events = (
      (await (await fetch(`${app.url}/api/events`)).json()) as {
        data: { event_id: string; type: string; job_id: string }[];
      }
    ).data;
    const eventIds = events.map((e) => e.event_id);
    expect(new Set(eventIds).size).toBe(eventIds.length);
    const acknowledged = new Set(
      gateway
        .deliveries()
        .filter((d) => d.ok)
        .map((d) => d.eventId),
    );
    expect(new Set(eventIds)).toEqual(acknowledged);
    for (const id of ids) {
      const terminal = events.filter(
        (e) => e.job_id === id && (e.type === 'video.completed' || e.type === 'video.failed'),
      );
      const delivered = gateway
        .deliveries()
        .some((d) => d.jobId === id && d.ok && (d.type === 'video.completed' || d.type === 'video.failed'));
      expect(terminal).toHaveLength(delivered ? 1 : 0);
    }
    const notFound = await fetch(`${app.url}/api/jobs/G-unknown`);
    expect([notFound.status, await notFound.json()]).toEqual([404, expect.objectContaining({ error: 'not_found' })]);
    const twins = gateway.deliveries().filter((d) => d.fault === 'duplicate');
    expect(twins.length).toBeGreaterThan(0);
    expect(twins.every((d) => d.responseStatus === 200 || d.responseStatus === 409)).toBe(true);
  }, 60_000);
});

describe.each(['express', 'fetch', 'nextjs'])('examples/%s start-up', (name) => {
  it('stops with a message naming a missing secret', async () => {
    const { code, output } = await runExample(name, { AI_STATS_WEBHOOK_SECRET: ' ' });
    expect(code).not.toBe(0);
    expect(output).toMatch(/AI_STATS_WEBHOOK_SECRET is required/);
  }, 30_000);
});
