import { createMemoryDedupeStore } from '@ai-stats-webhooks/core';

function clock(start = 1_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('createMemoryDedupeStore', () => {
  it('claims once, answers in_flight while held and done after commit', async () => {
    const store = createMemoryDedupeStore();
    const claim = await store.claim('evt_1');
    expect(claim.outcome).toBe('claimed');
    expect(await store.claim('evt_1')).toEqual({ outcome: 'in_flight' });
    expect(await store.commit('evt_1', (claim as { token: string }).token)).toBe(true);
    expect(await store.claim('evt_1')).toEqual({ outcome: 'done' });
  });

  it('makes a released key claimable again', async () => {
    const store = createMemoryDedupeStore();
    const claim = (await store.claim('evt_1')) as { token: string };
    expect(await store.release('evt_1', claim.token)).toBe(true);
    expect((await store.claim('evt_1')).outcome).toBe('claimed');
  });

  it('lets a lease expire so a crashed worker does not block retries, and refuses the stale holder', async () => {
    const c = clock();
    const store = createMemoryDedupeStore({ leaseMs: 1_000, now: c.now });
    const first = (await store.claim('evt_1')) as { token: string };
    c.advance(999);
    expect(await store.claim('evt_1')).toEqual({ outcome: 'in_flight' });
    c.advance(2);
    const second = (await store.claim('evt_1')) as { token: string };
    expect(second.token).not.toBe(first.token);
    expect(await store.commit('evt_1', first.token)).toBe(false);
    expect(await store.release('evt_1', first.token)).toBe(false);
    expect(await store.commit('evt_1', second.token)).toBe(true);
  });

  it('forgets done keys after ttlMs', async () => {
    const c = clock();
    const store = createMemoryDedupeStore({ ttlMs: 10_000, now: c.now });
    const claim = (await store.claim('evt_1')) as { token: string };
    await store.commit('evt_1', claim.token);
    c.advance(9_999);
    expect(await store.claim('evt_1')).toEqual({ outcome: 'done' });
    c.advance(2);
    expect((await store.claim('evt_1')).outcome).toBe('claimed');
  });

  it('stays bounded by max', async () => {
    const store = createMemoryDedupeStore({ max: 2 });
    for (const key of ['a', 'b', 'c']) {
      const claim = (await store.claim(key)) as { token: string };
      await store.commit(key, claim.token);
    }
    expect((await store.claim('a')).outcome).toBe('claimed');
    expect(await store.claim('c')).toEqual({ outcome: 'done' });
  });

  it('validates its options, naming the option', () => {
    expect(() => createMemoryDedupeStore({ leaseMs: 0 })).toThrow(/Option "leaseMs"/);
    expect(() => createMemoryDedupeStore({ max: -1 })).toThrow(/Option "max"/);
  });

  it('commits when its lease expired and nobody claimed since; refuses only another live lease', async () => {
    const c = clock();
    const store = createMemoryDedupeStore({ leaseMs: 1_000, now: c.now });
    const slow = (await store.claim('evt_1')) as { token: string };
    c.advance(5_000); // the handler outlived its lease, and no other copy arrived
    expect(await store.commit('evt_1', slow.token)).toBe(true);
    expect(await store.claim('evt_1')).toEqual({ outcome: 'done' });
  });

  it('extends a lease for its holder only, and exposes leaseMs and ttlMs', async () => {
    const c = clock();
    const store = createMemoryDedupeStore({ leaseMs: 1_000, ttlMs: 3_600_000, now: c.now });
    const held = (await store.claim('evt_1')) as { token: string };
    c.advance(900);
    expect(await store.extend!('evt_1', held.token)).toBe(true);
    expect(await store.extend!('evt_1', 'someone-else')).toBe(false);
    c.advance(900); // 1,800 ms after the claim, 900 after the renewal
    expect(await store.claim('evt_1')).toEqual({ outcome: 'in_flight' });
    expect(store).toMatchObject({ leaseMs: 1_000, ttlMs: 3_600_000 });
  });
});
