import { createMemoryDedupeStore } from '@ai-stats-webhooks/core';

// The rules every dedupe store keeps (claim, commit, release, leases, TTL, extend) are in
// store-contracts.test.ts (describeDedupeStoreContract); these cases are the memory store's own.
describe('createMemoryDedupeStore', () => {
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
});
