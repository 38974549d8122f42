/// <reference types="jest" />
import { DEDUPE_STORE_CONTRACT_DEFAULTS, type DedupeContractSuite } from './describe-dedupe-store-contract';
import { claimOutcome, claimToken, raceClaims } from './claim-token';

/**
 * The dedupe contract cases in which no lease runs out: claim, commit, release, the holder's
 * rights, key identity and concurrent claims.
 *
 * @example
 * ```ts
 * describe('DedupeStore contract: mine', () => describeDedupeClaimCases(suite));
 * ```
 */
export function describeDedupeClaimCases(suite: DedupeContractSuite): void {
  const { timeoutMs } = suite.context;

  it(
    'claims a key once, answers in_flight while the lease is held and done after commit',
    async () => {
      const { store, key } = await suite.open();
      const k = key('once');
      const token = await claimToken(store, k);
      expect(await claimOutcome(store, k)).toBe('in_flight');
      expect(await store.commit(k, token)).toBe(true);
      expect(await claimOutcome(store, k)).toBe('done');
      expect(await claimOutcome(store, k)).toBe('done');
    },
    timeoutMs,
  );

  it(
    'lets only the holder of a live lease commit, release or extend it',
    async () => {
      const { store, key } = await suite.open();
      const k = key('holder');
      const token = await claimToken(store, k);
      const foreign = await claimToken(store, key('other')); // a real token, of another key
      for (const wrong of [foreign, `${token}x`, 'not-a-token']) {
        expect(await store.commit(k, wrong)).toBe(false);
        expect(await store.release(k, wrong)).toBe(false);
        if (store.extend) expect(await store.extend(k, wrong)).toBe(false);
      }
      expect(await claimOutcome(store, k)).toBe('in_flight');
      if (store.extend) expect(await store.extend(k, token)).toBe(true);
      expect(await store.commit(k, token)).toBe(true);
    },
    timeoutMs,
  );

  it(
    'makes a released key claimable again with a new token, and the old token powerless',
    async () => {
      const { store, key } = await suite.open();
      const k = key('released');
      const first = await claimToken(store, k);
      expect(await store.release(k, first)).toBe(true);
      expect(await store.release(k, first)).toBe(false); // released already
      const second = await claimToken(store, k);
      expect(second).not.toBe(first);
      expect(await store.release(k, first)).toBe(false);
      expect(await store.commit(k, first)).toBe(false); // the second lease is live
      if (store.extend) expect(await store.extend(k, first)).toBe(false);
      expect(await claimOutcome(store, k)).toBe('in_flight');
      expect(await store.commit(k, second)).toBe(true);
      expect(await claimOutcome(store, k)).toBe('done');
    },
    timeoutMs,
  );

  it(
    'keeps a committed key done: release and extend by its old holder change nothing',
    async () => {
      const { store, key } = await suite.open();
      const k = key('committed');
      const token = await claimToken(store, k);
      expect(await store.commit(k, token)).toBe(true);
      expect(await store.release(k, token)).toBe(false);
      if (store.extend) expect(await store.extend(k, token)).toBe(false);
      expect(await claimOutcome(store, k)).toBe('done');
    },
    timeoutMs,
  );

  it(
    'keeps keys apart: case, a longer key and a separator make different keys',
    async () => {
      const { store, key } = await suite.open();
      const base = key('Evt');
      const keys = [base, key('evt'), `${base}1`, `${base}:1`, `${base}_`];
      const tokens = [];
      for (const k of keys) tokens.push(await claimToken(store, k));
      expect(new Set(tokens).size).toBe(keys.length);
      expect(await store.commit(base, tokens[0]!)).toBe(true);
      expect(await claimOutcome(store, base)).toBe('done');
      for (const k of keys.slice(1)) expect(await claimOutcome(store, k)).toBe('in_flight');
      expect(await store.release(keys[1]!, tokens[1]!)).toBe(true);
      expect(await claimOutcome(store, keys[1]!)).toBe('claimed');
      expect(await claimOutcome(store, keys[2]!)).toBe('in_flight');
    },
    timeoutMs,
  );

  it(
    'keeps long keys and any text apart: the keys dedupeKeyOf gives (up to about 750 characters)',
    async () => {
      const { store, key } = await suite.open();
      const jobId = `G-${'x'.repeat(198)}`; // the longest plain job id
      const keys = [
        key(`evt_video_${jobId}_video_completed`),
        key(`evt_video_${jobId}_video_failed`),
        key(JSON.stringify(['evt', 'video', jobId, `video.progress:${'9'.repeat(480)}`])),
        key(JSON.stringify(['evt', 'video', 'a.b é', 'video.completed'])),
        key(JSON.stringify(['evt', 'video', 'a:b é', 'video.completed'])),
      ];
      for (const k of keys) expect(await claimOutcome(store, k)).toBe('claimed');
      for (const k of keys) expect(await claimOutcome(store, k)).toBe('in_flight');
    },
    timeoutMs,
  );

  const { concurrentClaims: count } = DEDUPE_STORE_CONTRACT_DEFAULTS;
  it(
    `gives exactly one of ${count} concurrent claims the lease, and answers done to all after commit`,
    async () => {
      const { stores, key } = await suite.open();
      const k = key('race');
      const race = await raceClaims(stores, k, count);
      expect(race.outcomes).toEqual({ claimed: 1, in_flight: count - 1, done: 0 });
      expect((await raceClaims(stores, k, count)).outcomes).toEqual({ claimed: 0, in_flight: count, done: 0 });
      // Any handle commits the winner's lease: they share one truth.
      expect(await stores[stores.length - 1]!.commit(k, race.token!)).toBe(true);
      expect((await raceClaims(stores, k, count)).outcomes).toEqual({ claimed: 0, in_flight: 0, done: count });
    },
    timeoutMs,
  );
}
