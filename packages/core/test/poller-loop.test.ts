import { createMemoryJobStore, type JobTransition } from '@ai-stats-webhooks/core';
import { deferred, fakeApi, fakeClockPoller, running, slowListingStore } from './poller-fake-api';

// The loop that start() runs, on Jest's fake timers: no real waiting. The poller's clocks read the
// faked Date.now(), so they move with the timers.
beforeEach(() => jest.useFakeTimers({ now: 1_786_000_000_000 }));
afterEach(() => jest.useRealTimers());

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const clocks = { now: () => Date.now(), clock: () => Date.now() };

describe('createPoller loop', () => {
  it('a slow job holds only its own slot: the other jobs keep their schedule', async () => {
    const { api, count } = fakeApi(async (id) => {
      if (id === 'G-SLOW') await sleep(9_000); // up to the client's timeoutMs
      return running(id, 1);
    });
    const { poller, seed } = fakeClockPoller(api, { ...clocks, tickMs: 200 });
    for (const id of ['G-SLOW', 'G-A', 'G-B']) await seed(id);
    poller.start();
    for (let i = 0; i < 60; i++) await jest.advanceTimersByTimeAsync(200); // 12 s
    const stopped = poller.stop();
    await jest.advanceTimersByTimeAsync(9_000); // G-SLOW's second request settles
    await stopped;
    expect(count('G-A')).toBeGreaterThanOrEqual(11); // once a second
    expect(count('G-B')).toBeGreaterThanOrEqual(11);
    expect(count('G-SLOW')).toBe(2); // never a second request while the first is in flight
  });

  it('keeps at most batchSize requests in flight and never two for one job', async () => {
    const gates = new Map<string, ReturnType<typeof deferred<void>>>();
    const { api, peak, calls } = fakeApi(async (id) => {
      const gate = deferred<void>();
      gates.set(id, gate);
      await gate.promise;
      return running(id, 1);
    });
    const { poller, seed } = fakeClockPoller(api, { ...clocks, tickMs: 100, batchSize: 2 });
    for (const id of ['G-H1', 'G-H2', 'G-H3']) await seed(id);
    poller.start();
    for (let i = 0; i < 20; i++) await jest.advanceTimersByTimeAsync(100);
    expect(calls).toEqual(['G-H1', 'G-H2']); // two slots, both held
    gates.get('G-H1')!.resolve();
    await jest.advanceTimersByTimeAsync(100);
    expect(calls).toEqual(['G-H1', 'G-H2', 'G-H3']); // the freed slot goes to the job waiting longest
    for (const gate of gates.values()) gate.resolve();
    await poller.stop();
    expect(peak).toEqual({ total: 2, perJob: 1 });
  });

  it('stop() resolves once the polls in flight have settled; nothing is written or reported after it', async () => {
    const gate = deferred<void>();
    const { api } = fakeApi(async (id) => {
      await gate.promise;
      return { ...running(id), status: 'completed', progress: 100 };
    });
    const { poller, seed, jobs, updates } = fakeClockPoller(api, clocks);
    await seed('G-ST1');
    poller.start();
    await jest.advanceTimersByTimeAsync(10); // the first tick's request is in flight
    let settled = false;
    const stopped = Promise.resolve(poller.stop()).then(() => (settled = true));
    await jest.advanceTimersByTimeAsync(5_000);
    expect(settled).toBe(false); // still waiting for the request in flight
    gate.resolve();
    await stopped;
    const written = await jobs.get('G-ST1');
    const reported = updates.length;
    expect(written?.status).toBe('completed'); // the poll in flight settled before stop() resolved
    await jest.advanceTimersByTimeAsync(60_000);
    expect(await jobs.get('G-ST1')).toBe(written);
    expect(updates).toHaveLength(reported);
  });

  it('stop() cancels the requests in flight through their signal: it resolves at once, nothing written, no failure logged', async () => {
    const signals: AbortSignal[] = [];
    const { api } = fakeApi(() => new Promise<never>(() => undefined)); // never answers by itself
    const cancellable = {
      ...api,
      getVideo: (id: string, call?: { readonly signal?: AbortSignal }) => {
        signals.push(call!.signal!);
        void api.getVideo(id);
        return new Promise<never>((_resolve, reject) =>
          call!.signal!.addEventListener('abort', () => reject(call!.signal!.reason)),
        );
      },
    };
    const warnings: string[] = [];
    const { poller, seed, jobs, updates } = fakeClockPoller(cancellable, {
      ...clocks,
      logger: { warn: (message) => void warnings.push(message) },
    });
    await seed('G-C1');
    poller.start();
    await jest.advanceTimersByTimeAsync(10); // the first tick's request is in flight
    const before = await jobs.get('G-C1');
    await poller.stop(); // no timer advanced: it settles without waiting for an answer
    expect(signals).toHaveLength(1);
    expect(signals[0]!.aborted).toBe(true);
    expect(await jobs.get('G-C1')).toBe(before);
    expect(updates).toEqual([]);
    expect(warnings).toEqual([]);
    poller.start(); // the job is still due: a new loop polls it at once, with a fresh signal
    await jest.advanceTimersByTimeAsync(10);
    expect(signals).toHaveLength(2);
    expect(signals[1]!.aborted).toBe(false);
    await poller.stop();
  });

  it('stop() waits for a pollOnce() still reading the open jobs, which then starts nothing', async () => {
    const { api, calls } = fakeApi((id) => running(id));
    const listed = deferred<void>();
    const jobs = slowListingStore(listed.promise);
    const { poller, seed } = fakeClockPoller(api, clocks, jobs);
    await seed('G-M1');
    const manual = poller.pollOnce();
    let stopped = false;
    const stopping = poller.stop().then(() => (stopped = true));
    await jest.advanceTimersByTimeAsync(10);
    expect(stopped).toBe(false); // the manual poll still lists the open jobs
    listed.resolve();
    await stopping;
    expect(await manual).toBe(0);
    expect(calls).toEqual([]);
  });

  it('stop() then start() during a tick leaves one loop: one job is never polled twice at once', async () => {
    const { api, peak, count } = fakeApi(async (id) => {
      await sleep(300);
      return running(id, 0.001);
    });
    const { poller, seed } = fakeClockPoller(api, { ...clocks, tickMs: 50 });
    await seed('G-R1');
    poller.start();
    await jest.advanceTimersByTimeAsync(100); // the first tick's request is in flight
    void poller.stop();
    poller.start(); // a restart, e.g. on a configuration reload
    for (let i = 0; i < 60; i++) await jest.advanceTimersByTimeAsync(50); // 3 s
    await jest.advanceTimersByTimeAsync(400);
    const stopped = poller.stop();
    await jest.advanceTimersByTimeAsync(400);
    await stopped;
    expect(peak.perJob).toBe(1);
    // One loop: a 300 ms request, then the next tick (clamped to at least tickMs) at most 100 ms later.
    expect(count('G-R1')).toBeGreaterThanOrEqual(8);
    expect(count('G-R1')).toBeLessThanOrEqual(11);
  });

  it('a tick still reading the open jobs when stop() is called starts no poll', async () => {
    const { api, calls } = fakeApi((id) => running(id));
    const listed = deferred<void>();
    const jobs = slowListingStore(listed.promise);
    const { poller, seed } = fakeClockPoller(api, clocks, jobs);
    await seed('G-T1');
    poller.start();
    await jest.advanceTimersByTimeAsync(10); // the first tick waits for listOpen
    const stopped = poller.stop();
    listed.resolve();
    await stopped;
    await jest.advanceTimersByTimeAsync(10_000);
    expect(calls).toEqual([]);
  });

  it('a stop() whose promise is ignored still stops the loop', async () => {
    const { api, count } = fakeApi((id) => running(id, 1));
    const transitions: JobTransition[] = [];
    const { poller, seed } = fakeClockPoller(
      api,
      { ...clocks, tickMs: 100, onUpdate: (t) => void transitions.push(t) },
      createMemoryJobStore(),
    );
    await seed('G-I1');
    poller.start();
    await jest.advanceTimersByTimeAsync(1_050);
    poller.stop();
    const polled = count('G-I1');
    expect(polled).toBeGreaterThanOrEqual(2);
    await jest.advanceTimersByTimeAsync(10_000);
    expect(count('G-I1')).toBe(polled);
  });
});
