import { createMemoryDedupeStore, createMemoryJobStore } from '@ai-stats-webhooks/core';
import { describeDedupeStoreContract, describeJobStoreContract } from '@ai-stats-webhooks/testing';

// The memory stores take an injectable clock: the contract advances it instead of sleeping. A
// small max: the LRU of a million keys takes a while to allocate, once per case.
let now = 1_000;
const clock = { now: () => now, advance: (ms: number) => void (now += ms) };

describeDedupeStoreContract(
  'createMemoryDedupeStore',
  ({ leaseMs, ttlMs }) => createMemoryDedupeStore({ max: 10_000, leaseMs, ttlMs, now: clock.now }),
  { clock },
);

describeJobStoreContract('createMemoryJobStore', () => createMemoryJobStore());
