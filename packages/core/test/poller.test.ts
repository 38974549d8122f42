import {
  applyObservation,
  createMemoryJobStore,
  createPoller,
  createVideosClient,
  WebhookError,
  type JobStatus,
  type JobStore,
  type JobTransition,
  type VideoObject,
  type VideosClient,
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
    // One fake time for both clocks: the wall clock stamps jobs, the monotonic one schedules polls.
    now: () => t,
    clock: () => t,
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

// A fake Video API: each job id answers with an object or throws; every call is recorded.
function fakeApi(answers: Record<string, () => Record<string, unknown>>) {
  const calls: string[] = [];
  const unused = () => Promise.reject(new Error('not used by the poller'));
  const api: VideosClient = {
    getVideo: async (id) => {
      calls.push(id);
      const answer = answers[id];
      if (!answer) throw new WebhookError('api_not_found', `no ${id}`, { details: { apiStatus: 404 } });
      return answer() as unknown as VideoObject;
    },
    getBatch: unused,
    listVideos: unused,
    createVideo: unused,
    getContent: unused,
  };
  return { api, calls };
}

const running = (id: string, progress = 30) => ({
  id,
  object: 'video',
  status: 'in_progress',
  progress,
  poll_after_seconds: 1,
});
const apiError = (code: 'api_retry_later' | 'api_server_error', apiStatus: number, retryAfterMs?: number) =>
  new WebhookError(code, `Expected GET /videos to succeed, found ${apiStatus}.`, {
    details: { apiStatus, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) },
  });

function fakeSetup(api: VideosClient, jobs: JobStore = createMemoryJobStore()) {
  let t = 5_000_000;
  const warnings: { message: string; fields?: Record<string, unknown> | undefined }[] = [];
  const poller = createPoller({
    api,
    jobs,
    now: () => t,
    clock: () => t,
    logger: { warn: (message, fields) => void warnings.push({ message, fields }) },
  });
  const seed = (id: string, status: JobStatus) =>
    jobs.update(id, (c) => applyObservation(c, { id, kind: 'video', status, source: 'create' }, new Date(t)).state);
  return { jobs, poller, seed, warnings, advance: (ms: number) => (t += ms) };
}

describe('createPoller with a fake API client', () => {
  it('reads open jobs through listOpen and never touches terminal jobs', async () => {
    const { api, calls } = fakeApi({ 'G-O1': () => running('G-O1'), 'G-T1': () => running('G-T1') });
    const inner = createMemoryJobStore();
    const jobs: JobStore = {
      get: (id) => inner.get(id),
      update: (id, apply) => inner.update(id, apply),
      list: () => {
        throw new Error('the poller must not scan every job');
      },
      listOpen: (options) => inner.listOpen!(options),
    };
    const { poller, seed } = fakeSetup(api, jobs);
    await seed('G-T1', 'completed');
    await seed('G-O1', 'queued');
    expect(await poller.pollOnce()).toBe(1);
    expect(calls).toEqual(['G-O1']);
    expect(await inner.get('G-O1')).toMatchObject({ status: 'processing', progress: 30 });
  });

  it('falls back to list() for a store without listOpen', async () => {
    const { api, calls } = fakeApi({ 'G-O2': () => running('G-O2') });
    const { listOpen: _unused, ...jobs } = createMemoryJobStore();
    const { poller, seed } = fakeSetup(api, jobs);
    await seed('G-T2', 'failed');
    await seed('G-O2', 'processing');
    expect(await poller.pollOnce()).toBe(1);
    expect(calls).toEqual(['G-O2']);
  });

  it('never polls a job before the Retry-After of a 5xx or 408, and backs off exponentially beyond it', async () => {
    let next: () => Record<string, unknown> = () => {
      throw apiError('api_server_error', 503, 60_000);
    };
    const { api, calls } = fakeApi({ 'G-R1': () => next() });
    const { poller, seed, advance, warnings } = fakeSetup(api);
    await seed('G-R1', 'processing');
    expect(await poller.pollOnce()).toBe(1);
    expect(warnings[0]!.fields).toMatchObject({ code: 'api_server_error', retryAfterMs: 60_000 });
    advance(5_000); // the plain backoff would poll again now
    expect(await poller.pollOnce()).toBe(0);
    advance(54_999);
    expect(await poller.pollOnce()).toBe(0);
    advance(1);
    next = () => {
      throw apiError('api_retry_later', 408, 1_000);
    };
    expect(await poller.pollOnce()).toBe(1); // second failure: backoff 10 s beats Retry-After 1 s
    advance(9_999);
    expect(await poller.pollOnce()).toBe(0);
    advance(1);
    next = () => running('G-R1', 60);
    expect(await poller.pollOnce()).toBe(1);
    expect(calls).toEqual(['G-R1', 'G-R1', 'G-R1']);
  });

  it('pauses every job after a 429 until its Retry-After has passed', async () => {
    let limited = true;
    const { api, calls } = fakeApi({
      'G-L1': () => {
        if (limited) throw apiError('api_retry_later', 429, 30_000);
        return running('G-L1');
      },
      'G-L2': () => running('G-L2'),
    });
    const { poller, seed, advance, warnings } = fakeSetup(api);
    await seed('G-L1', 'queued');
    await seed('G-L2', 'queued');
    expect(await poller.pollOnce()).toBe(2);
    expect(warnings.map((w) => w.message).join('\n')).toMatch(/rate-limited polling \(429\); no job is polled for 30s/);
    advance(1_000); // G-L2 asked to be polled again after 1 s, but the key is rate-limited
    expect(await poller.pollOnce()).toBe(0);
    advance(28_999);
    expect(await poller.pollOnce()).toBe(0);
    expect(calls).toEqual(['G-L1', 'G-L2']);
    limited = false;
    advance(1);
    expect(await poller.pollOnce()).toBe(2);
  });

  it('logs an answer about another job and stores nothing from it', async () => {
    const { api } = fakeApi({ 'G-F1': () => ({ ...running('G-OTHER'), status: 'completed', progress: 100 }) });
    const { poller, seed, jobs, warnings } = fakeSetup(api);
    const before = await seed('G-F1', 'queued');
    expect(await poller.pollOnce()).toBe(1);
    expect(await jobs.get('G-OTHER')).toBeUndefined();
    expect(await jobs.get('G-F1')).toBe(before);
    expect((await jobs.list()).map((job) => job.id)).toEqual(['G-F1']);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.message).toMatch(/poll of G-F1 failed \(api_invalid_response\)/);
    expect(warnings[0]!.fields).toMatchObject({
      code: 'api_invalid_response',
      message: expect.stringMatching(/G-OTHER/),
    });
  });

  it('keeps polling when the logger throws', async () => {
    const { api } = fakeApi({});
    const jobs = createMemoryJobStore();
    const poller = createPoller({
      api,
      jobs,
      logger: {
        warn: () => {
          throw new Error('logger down');
        },
      },
    });
    await jobs.update(
      'G-X1',
      (c) => applyObservation(c, { id: 'G-X1', kind: 'video', status: 'queued', source: 'create' }, new Date()).state,
    );
    await expect(poller.pollOnce()).resolves.toBe(1);
  });
});
