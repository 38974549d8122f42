import {
  applyObservation,
  createMemoryJobStore,
  createPoller,
  type JobStore,
  type JobTransition,
  type PollerOptions,
  type VideoObject,
  type VideosClient,
} from '@ai-stats-webhooks/core';

/** What the fake API answers for one job: an object now, or a promise the test settles later. */
export type FakeAnswer = (id: string) => Record<string, unknown> | Promise<Record<string, unknown>>;

/** A running job that asks to be polled again after `pollAfterSeconds`. */
export const running = (id: string, pollAfterSeconds: number = 1, progress = 30): Record<string, unknown> => ({
  id,
  object: 'video',
  status: 'in_progress',
  progress,
  poll_after_seconds: pollAfterSeconds,
});

/** A promise and the function that resolves it. */
export function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** A memory job store whose `listOpen()` answers only once `listed` resolves (a slow store). */
export function slowListingStore(listed: Promise<void>): JobStore {
  const inner = createMemoryJobStore();
  return {
    get: (id) => inner.get(id),
    update: (id, apply) => inner.update(id, apply),
    list: (options) => inner.list(options),
    listOpen: async (options) => {
      await listed;
      return inner.listOpen!(options);
    },
  };
}

/**
 * A fake Video API that records every call, the requests in flight per job and the most it ever saw
 * in flight at once (in all, and for one job).
 */
export function fakeApi(answer: FakeAnswer) {
  const calls: string[] = [];
  const inFlight = new Map<string, number>();
  const peak = { total: 0, perJob: 0 };
  const unused = () => Promise.reject(new Error('not used by the poller'));
  const api: VideosClient = {
    getVideo: async (id) => {
      calls.push(id);
      inFlight.set(id, (inFlight.get(id) ?? 0) + 1);
      const total = [...inFlight.values()].reduce((a, b) => a + b, 0);
      peak.total = Math.max(peak.total, total);
      peak.perJob = Math.max(peak.perJob, inFlight.get(id)!);
      try {
        return (await answer(id)) as unknown as VideoObject;
      } finally {
        inFlight.set(id, inFlight.get(id)! - 1);
      }
    },
    getBatch: unused,
    listVideos: unused,
    createVideo: unused,
    getContent: unused,
  };
  return { api, calls, peak, count: (id: string) => calls.filter((c) => c === id).length };
}

/**
 * A poller on a fake clock: `advance(ms)` moves both the wall clock (`now`) and the monotonic
 * scheduling clock (`clock`); `stepWall(ms)` moves the wall clock alone.
 */
export function fakeClockPoller(
  api: VideosClient,
  options: Partial<PollerOptions> = {},
  jobs: JobStore = createMemoryJobStore(),
) {
  let wall = 1_786_000_000_000;
  let mono = 50_000;
  const updates: JobTransition[] = [];
  const poller = createPoller({
    api,
    jobs,
    now: () => wall,
    clock: () => mono,
    logger: {},
    onUpdate: (u) => void updates.push(u),
    ...options,
  });
  const seed = (id: string) =>
    jobs.update(
      id,
      (c) => applyObservation(c, { id, kind: 'video', status: 'queued', source: 'create' }, new Date(wall)).state,
    );
  const advance = (ms: number) => {
    wall += ms;
    mono += ms;
  };
  const stepWall = (ms: number) => (wall += ms);
  return { poller, jobs, updates, seed, advance, stepWall, wallNow: () => wall };
}
