/// <reference types="jest" />
import type { DedupeStore } from '@ai-stats-webhooks/core';
import { DEDUPE_STORE_CONTRACT_DEFAULTS, type DedupeContractSuite } from './describe-dedupe-store-contract';
import { claimOutcome, claimToken, raceClaims } from './claim-token';

/**
 * The dedupe contract cases in which time passes: leases that expire, done keys forgotten after
 * their TTL, and `extend` (the heartbeat) keeping a lease alive. With a clock the suite advances
 * it; in real time it sleeps the short lease or TTL plus the grace.
 *
 * @example
 * ```ts
 * describe('DedupeStore contract: mine', () => describeDedupeLeaseCases(suite));
 * ```
 */
export function describeDedupeLeaseCases(suite: DedupeContractSuite): void {
  const { context, leaseMs, ttlMs } = suite;
  const { timeoutMs } = context;
  // Looks at a key before it expires, `since` the claim or commit began: with a clock 1 ms before;
  // in real time at half the span, judged only when the answer came back well before the expiry (a
  // stalled host must not fail a correct store). Returns the time it let pass.
  const lookBefore = async (ms: number, since: number, look: () => Promise<string>, expected: string) => {
    const passed = context.controlled ? ms - 1 : Math.floor(ms / 2);
    await context.elapse(passed);
    const answer = await look();
    if (context.controlled || performance.now() - since < ms * 0.9) expect(answer).toBe(expected);
    return passed;
  };

  it(
    'holds a lease until leaseMs, then lets it be claimed again with a new token',
    async () => {
      const { store, key } = await suite.open({ leaseMs });
      const k = key('expired');
      const since = performance.now();
      const first = await claimToken(store, k);
      const passed = await lookBefore(leaseMs, since, () => claimOutcome(store, k), 'in_flight');
      await suite.expire(leaseMs, passed);
      const second = await claimToken(store, k);
      expect(second).not.toBe(first);
    },
    timeoutMs,
  );

  it(
    'refuses commit, release and extend by a stale holder while another lease is live',
    async () => {
      const { store, key } = await suite.open({ leaseMs });
      const k = key('stale');
      const stale = await claimToken(store, k);
      await suite.expire(leaseMs);
      const live = await claimToken(store, k);
      expect(await store.commit(k, stale)).toBe(false);
      expect(await store.release(k, stale)).toBe(false);
      if (store.extend) expect(await store.extend(k, stale)).toBe(false);
      expect(await claimOutcome(store, k)).toBe('in_flight');
      expect(await store.commit(k, live)).toBe(true);
      expect(await claimOutcome(store, k)).toBe('done');
    },
    timeoutMs,
  );

  it(
    'commits for a holder whose lease expired when nobody claimed the key since',
    async () => {
      const { store, key } = await suite.open({ leaseMs });
      const k = key('slow');
      const slow = await claimToken(store, k);
      await suite.expire(leaseMs); // the handler outlived its lease, and no other copy arrived
      expect(await store.commit(k, slow)).toBe(true);
      expect(await claimOutcome(store, k)).toBe('done');
    },
    timeoutMs,
  );

  const { concurrentClaims: count } = DEDUPE_STORE_CONTRACT_DEFAULTS;
  it(
    `gives exactly one of ${count} concurrent claims an expired lease`,
    async () => {
      const { store, stores, key } = await suite.open({ leaseMs });
      const k = key('expired-race');
      await claimToken(store, k);
      await suite.expire(leaseMs);
      expect((await raceClaims(stores, k, count)).outcomes).toEqual({ claimed: 1, in_flight: count - 1, done: 0 });
    },
    timeoutMs,
  );

  it(
    'remembers a done key until ttlMs, then forgets it',
    async () => {
      const { store, key } = await suite.open({ ttlMs });
      const k = key('ttl');
      const token = await claimToken(store, k);
      const since = performance.now();
      expect(await store.commit(k, token)).toBe(true);
      const passed = await lookBefore(ttlMs, since, () => claimOutcome(store, k), 'done');
      await suite.expire(ttlMs, passed);
      expect(await claimOutcome(store, k)).toBe('claimed');
    },
    timeoutMs,
  );

  it(
    `gives exactly one of ${count} concurrent claims a done key whose ttlMs ran out`,
    async () => {
      const { store, stores, key } = await suite.open({ ttlMs });
      const k = key('forgotten-race');
      expect(await store.commit(k, await claimToken(store, k))).toBe(true);
      await suite.expire(ttlMs);
      expect((await raceClaims(stores, k, count)).outcomes).toEqual({ claimed: 1, in_flight: count - 1, done: 0 });
    },
    timeoutMs,
  );

  (suite.extend ? it : it.skip)(
    'keeps an extended lease alive past leaseMs, while one not extended expires',
    async () => {
      const { store, key } = await suite.open({ leaseMs });
      const extend = requireExtend(store);
      const [held, idle] = [key('extended'), key('not-extended')];
      const token = await claimToken(store, held);
      await claimToken(store, idle);
      // A heartbeat every leaseMs / 3, until the lease of `idle` (plus the grace) has run out.
      const step = Math.max(1, Math.floor(leaseMs / 3));
      const beats = Math.ceil((leaseMs + suite.expiryGraceMs) / step);
      for (let beat = 0; beat < beats; beat++) {
        await context.elapse(step);
        expect(await extend(held, token)).toBe(true);
      }
      expect(await claimOutcome(store, held)).toBe('in_flight');
      expect(await claimOutcome(store, idle)).toBe('claimed');
      expect(await store.commit(held, token)).toBe(true);
    },
    timeoutMs,
  );

  it(
    'reports the leaseMs and ttlMs it was made with, when it reports them',
    async () => {
      const { store, setup } = await suite.open({ leaseMs: 45_000, ttlMs: 7_200_000 });
      expect(store.leaseMs ?? setup.leaseMs).toBe(setup.leaseMs);
      expect(store.ttlMs ?? setup.ttlMs).toBe(setup.ttlMs);
    },
    timeoutMs,
  );
}

function requireExtend(store: DedupeStore): NonNullable<DedupeStore['extend']> {
  const extend = store.extend;
  if (typeof extend !== 'function') {
    throw new Error(
      'Expected the store to have extend(key, token) (the lease heartbeat), found none. Fix: implement it, or pass { extend: false } to describeDedupeStoreContract to skip its cases.',
    );
  }
  return extend.bind(store);
}
