import { fakeApi, fakeClockPoller, running } from './poller-fake-api';

// Which job is polled when, on fake clocks: fairness under load, the clamp of poll_after_seconds and
// the monotonic scheduling clock.
describe('createPoller scheduling', () => {
  it('polls every open job under load, the most overdue first: the newest are never starved', async () => {
    // 40 open jobs, 5 per tick, each asking for a poll every 2 s: demand 20 a tick, capacity 5.
    const { api, count } = fakeApi((id) => running(id, 2));
    const { poller, seed, advance } = fakeClockPoller(api, { batchSize: 5 });
    const ids = Array.from({ length: 40 }, (_, i) => `G-S${String(i).padStart(2, '0')}`);
    for (const id of ids) await seed(id);
    const lastPolledAt = new Map<string, number>();
    let worstGap = 0;
    for (let tick = 0; tick < 40; tick++) {
      const before = new Map(ids.map((id) => [id, count(id)]));
      expect(await poller.pollOnce()).toBe(5);
      for (const id of ids) {
        if (count(id) === before.get(id)) continue;
        worstGap = Math.max(worstGap, tick - (lastPolledAt.get(id) ?? 0));
        lastPolledAt.set(id, tick);
      }
      advance(1_000);
    }
    expect(ids.filter((id) => count(id) === 0)).toEqual([]);
    // Capacity is shared fairly: each job every 8 ticks (40 jobs / 5 per tick), none waits longer.
    expect(Math.min(...ids.map(count))).toBeGreaterThanOrEqual(4);
    expect(worstGap).toBeLessThanOrEqual(8);
  });

  it('clamps a huge poll_after_seconds to maxBackoffMs: the job is still polled', async () => {
    const { api, count } = fakeApi((id) => running(id, 1e9));
    const { poller, seed, advance } = fakeClockPoller(api, { maxBackoffMs: 60_000 });
    await seed('G-C1');
    expect(await poller.pollOnce()).toBe(1);
    advance(59_999);
    expect(await poller.pollOnce()).toBe(0);
    advance(1);
    expect(await poller.pollOnce()).toBe(1);
    expect(count('G-C1')).toBe(2);
  });

  it('clamps a tiny poll_after_seconds to tickMs: the job is not polled more often than once a tick', async () => {
    const { api, count } = fakeApi((id) => running(id, 0.001));
    const { poller, seed, advance } = fakeClockPoller(api, { tickMs: 1_000 });
    await seed('G-C2');
    expect(await poller.pollOnce()).toBe(1);
    advance(999);
    expect(await poller.pollOnce()).toBe(0);
    advance(1);
    expect(await poller.pollOnce()).toBe(1);
    expect(count('G-C2')).toBe(2);
  });

  it('schedules on the monotonic clock: a wall clock step backwards does not freeze polling', async () => {
    const { api, count } = fakeApi((id) => running(id, 20));
    const { poller, seed, jobs, advance, stepWall, wallNow } = fakeClockPoller(api);
    await seed('G-M1');
    advance(1_000);
    expect(await poller.pollOnce()).toBe(1);
    // Job timestamps come from the wall clock (the monotonic one reads 51 000 ms here).
    expect((await jobs.get('G-M1'))?.updatedAt).toBe(new Date(wallNow()).toISOString());
    stepWall(-3_600_000); // NTP or a resumed VM: the wall clock goes back one hour
    advance(19_999);
    expect(await poller.pollOnce()).toBe(0);
    advance(1);
    expect(await poller.pollOnce()).toBe(1);
    expect(count('G-M1')).toBe(2);
  });

  it('times the 429 pause on the monotonic clock', async () => {
    const { WebhookError } = await import('@ai-stats-webhooks/core');
    let limited = true;
    const { api } = fakeApi((id) => {
      if (limited)
        throw new WebhookError('api_retry_later', 'Expected 200, found 429.', {
          details: { apiStatus: 429, retryAfterMs: 30_000 },
        });
      return running(id);
    });
    const { poller, seed, advance, stepWall } = fakeClockPoller(api);
    await seed('G-M2');
    expect(await poller.pollOnce()).toBe(1);
    limited = false;
    stepWall(-3_600_000);
    advance(29_999);
    expect(await poller.pollOnce()).toBe(0);
    advance(1);
    expect(await poller.pollOnce()).toBe(1);
  });
});
