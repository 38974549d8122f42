import {
  applyObservation,
  createMemoryJobStore,
  createPoller,
  createVideosClient,
  type JobTransition,
} from '@ai-stats-webhooks/core';
import { fixture } from '../../../test/helpers/deliveries';
import { startStubApi, type StubApi } from '../../../test/helpers/stub-api';

let api: StubApi;
beforeAll(async () => {
  api = await startStubApi();
});
afterAll(() => api.close());

async function setup() {
  let t = 1_000_000;
  const jobs = createMemoryJobStore();
  const updates: JobTransition[] = [];
  const poller = createPoller({
    api: createVideosClient({ baseUrl: api.baseUrl, apiKey: 'sk_test', timeoutMs: 300 }),
    jobs,
    now: () => t,
    logger: {},
    onUpdate: (u) => void updates.push(u),
  });
  const seed = (id: string, status: 'queued' | 'processing' | 'completed') =>
    jobs.update(id, (c) => applyObservation(c, { id, kind: 'video', status, source: 'create' }, new Date(t)).state);
  return { jobs, poller, seed, updates, advance: (ms: number) => (t += ms) };
}

describe('createPoller', () => {
  beforeEach(() => {
    api.mode = 'ok';
  });

  it('polls only non-terminal jobs, applies what the API says, and honours poll_after_seconds', async () => {
    const { poller, seed, jobs, updates, advance } = await setup();
    const openai = fixture<Record<string, unknown>>('video.get.processing.openai.json');
    api.set('G-P1', { ...openai, id: 'G-P1' });
    await seed('G-P1', 'queued');
    await seed('G-DONE', 'completed');
    const before = api.requests.length;
    expect(await poller.pollOnce()).toBe(1);
    expect(api.requests.length).toBe(before + 1);
    expect(await jobs.get('G-P1')).toMatchObject({ status: 'processing', progress: 54, source: 'poll' });
    expect(updates).toHaveLength(1);
    advance(19_000);
    expect(await poller.pollOnce()).toBe(0); // poll_after_seconds is 20
    advance(1_000);
    api.set('G-P1', { ...fixture<Record<string, unknown>>('video.get.completed.json'), id: 'G-P1' });
    expect(await poller.pollOnce()).toBe(1);
    expect(await jobs.get('G-P1')).toMatchObject({ status: 'completed', progress: 100 });
    expect(await poller.pollOnce()).toBe(0);
  });

  it('never moves a job backwards on a stale API answer', async () => {
    const { poller, seed, jobs } = await setup();
    api.set('G-P2', {
      ...fixture<Record<string, unknown>>('video.get.processing.openai.json'),
      id: 'G-P2',
      status: 'queued',
    });
    await seed('G-P2', 'processing');
    await poller.pollOnce();
    expect((await jobs.get('G-P2'))?.status).toBe('processing');
  });

  it('backs off exponentially on errors', async () => {
    const { poller, seed, advance } = await setup();
    await seed('G-P3', 'processing');
    api.mode = '503';
    expect(await poller.pollOnce()).toBe(1);
    advance(4_999);
    expect(await poller.pollOnce()).toBe(0);
    advance(1);
    expect(await poller.pollOnce()).toBe(1);
    advance(9_999);
    expect(await poller.pollOnce()).toBe(0);
    advance(1);
    expect(await poller.pollOnce()).toBe(1);
  });

  it('runs on its own once started and stops', async () => {
    const jobs = createMemoryJobStore();
    api.set('G-P4', { ...fixture<Record<string, unknown>>('video.get.completed.json'), id: 'G-P4' });
    await jobs.update(
      'G-P4',
      (c) => applyObservation(c, { id: 'G-P4', kind: 'video', status: 'queued', source: 'create' }, new Date()).state,
    );
    const poller = createPoller({
      api: createVideosClient({ baseUrl: api.baseUrl, apiKey: 'sk_test' }),
      jobs,
      tickMs: 10,
    });
    poller.start();
    for (let i = 0; i < 100 && (await jobs.get('G-P4'))?.status !== 'completed'; i++)
      await new Promise((r) => setTimeout(r, 10));
    poller.stop();
    expect((await jobs.get('G-P4'))?.status).toBe('completed');
  });

  it('validates options', () => {
    expect(() =>
      createPoller({ api: createVideosClient({ apiKey: 'k' }), jobs: createMemoryJobStore(), intervalMs: 0 }),
    ).toThrow(/intervalMs/);
  });
});
