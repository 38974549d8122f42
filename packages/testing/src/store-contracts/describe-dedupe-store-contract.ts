/// <reference types="jest" />
import type { DedupeStore, MaybePromise } from '@ai-stats-webhooks/core';
import { describeDedupeClaimCases } from './describe-dedupe-claim-cases';
import { describeDedupeLeaseCases } from './describe-dedupe-lease-cases';
import {
  createStoreContractContext,
  positiveInteger,
  type StoreContractClock,
  type StoreContractContext,
} from './store-contract-context';

/** What `makeStore` receives for one case of {@link describeDedupeStoreContract}. */
export interface DedupeStoreContractSetup {
  /**
   * New for every case: use it as the key prefix (or schema, or table suffix) so cases never see
   * each other's keys. Calls with the same namespace must reach the same data.
   */
  readonly namespace: string;
  /** The lease the store must give each claim, in ms. */
  readonly leaseMs: number;
  /** How long the store must remember a done key, in ms. */
  readonly ttlMs: number;
}

/** Options of {@link describeDedupeStoreContract}. */
export interface DedupeStoreContractOptions {
  /**
   * The clock the store reads (see {@link StoreContractClock}). Without it time is real: the
   * expiry cases sleep, a few hundred ms in all with the default short lease and TTL.
   */
  readonly clock?: StoreContractClock;
  /** The short lease of the expiry cases. Default 200 ms in real time, 30 s with a clock. */
  readonly leaseMs?: number;
  /** The short TTL of the expiry case. Default 300 ms in real time, 1 h with a clock. */
  readonly ttlMs?: number;
  /**
   * How long after `leaseMs` or `ttlMs` the store may still hold the key: 1000 for a store that
   * rounds expiries up to whole seconds. Default 100 ms in real time, 1 s with a clock.
   */
  readonly expiryGraceMs?: number;
  /**
   * How many handles the concurrent cases race through: `makeStore` is called this many times
   * with one setup, and the handles must share their data (several connections, as several app
   * instances have). Default 1; keep 1 for an in-process store.
   */
  readonly instances?: number;
  /** False for a store without `extend` (no heartbeat): the extend cases are skipped. Default true. */
  readonly extend?: boolean;
  /** The Jest timeout of each case, in ms. Default 10 s plus four expiry waits in real time. */
  readonly timeoutMs?: number;
}

/**
 * Defaults of {@link describeDedupeStoreContract}.
 *
 * @example
 * ```ts
 * describeDedupeStoreContract('mine', make, { leaseMs: DEDUPE_STORE_CONTRACT_DEFAULTS.real.leaseMs * 5 });
 * ```
 */
export const DEDUPE_STORE_CONTRACT_DEFAULTS = Object.freeze({
  /** The short lease and TTL of the expiry cases when time is real (the suite sleeps). */
  real: Object.freeze({ leaseMs: 200, ttlMs: 300, expiryGraceMs: 100 }),
  /** The short lease and TTL of the expiry cases when a clock is given (the suite advances it). */
  clock: Object.freeze({ leaseMs: 30_000, ttlMs: 3_600_000, expiryGraceMs: 1_000 }),
  /** Lease and TTL of the cases where time does not pass: longer than any case runs. */
  held: Object.freeze({ leaseMs: 60_000, ttlMs: 3_600_000 }),
  /** Claims raced on one key. */
  concurrentClaims: 50,
});

/** One case's stores: `store` is the first of `stores` (all on one namespace). */
export interface DedupeContractStores {
  readonly store: DedupeStore;
  readonly stores: readonly DedupeStore[];
  readonly setup: DedupeStoreContractSetup;
  /** A key in this case's namespace. */
  key(name: string): string;
}

/** What the dedupe case groups share. */
export interface DedupeContractSuite {
  readonly context: StoreContractContext;
  /** The short lease and TTL of the expiry cases, and how late an expiry may be. */
  readonly leaseMs: number;
  readonly ttlMs: number;
  readonly expiryGraceMs: number;
  readonly extend: boolean;
  /** Fresh stores for one case, with the held lease and TTL unless told otherwise. */
  open(overrides?: { readonly leaseMs?: number; readonly ttlMs?: number }): Promise<DedupeContractStores>;
  /** Lets `ms` plus the expiry grace pass, minus the `alreadyMs` that passed since the start. */
  expire(ms: number, alreadyMs?: number): Promise<void>;
}

/**
 * Declares the Jest suite every {@link DedupeStore} must pass: claim once, in flight while held,
 * done after commit; only the holder commits a live lease, releases or extends; a lease that
 * expires is claimable again and its holder's commit is refused only while another lease is
 * live; concurrent claims give one winner; done keys are forgotten after `ttlMs`; `extend`
 * keeps a lease past `leaseMs`. Call it at the top level of a test file (Jest globals, or
 * Vitest with `globals: true`). `makeStore` is called in every case, with a new namespace.
 *
 * @example
 * ```ts
 * import { describeDedupeStoreContract } from '@ai-stats-webhooks/testing';
 *
 * describeDedupeStoreContract(
 *   'my store',
 *   ({ namespace, leaseMs, ttlMs }) => createMyDedupeStore({ db, prefix: `${namespace}:`, leaseMs, ttlMs }),
 *   { instances: 3 },
 * );
 * ```
 */
export function describeDedupeStoreContract(
  name: string,
  makeStore: (setup: DedupeStoreContractSetup) => MaybePromise<DedupeStore>,
  options: DedupeStoreContractOptions = {},
): void {
  const suite = resolveSuite(makeStore, options);
  describe(`DedupeStore contract: ${name}`, () => {
    describeDedupeClaimCases(suite);
    describeDedupeLeaseCases(suite);
  });
}

function resolveSuite(
  makeStore: (setup: DedupeStoreContractSetup) => MaybePromise<DedupeStore>,
  options: DedupeStoreContractOptions,
): DedupeContractSuite {
  const defaults = options.clock ? DEDUPE_STORE_CONTRACT_DEFAULTS.clock : DEDUPE_STORE_CONTRACT_DEFAULTS.real;
  const leaseMs = positiveInteger('leaseMs', options.leaseMs ?? defaults.leaseMs);
  const ttlMs = positiveInteger('ttlMs', options.ttlMs ?? defaults.ttlMs);
  const expiryGraceMs = positiveInteger('expiryGraceMs', options.expiryGraceMs ?? defaults.expiryGraceMs);
  const realWaitsMs = options.clock ? 0 : 4 * (Math.max(leaseMs, ttlMs) + expiryGraceMs);
  const context = createStoreContractContext(options, 10_000 + realWaitsMs);
  const { held } = DEDUPE_STORE_CONTRACT_DEFAULTS;
  return {
    context,
    leaseMs,
    ttlMs,
    expiryGraceMs,
    extend: options.extend ?? true,
    async open(overrides = {}) {
      const namespace = context.namespace();
      const setup = { namespace, leaseMs: overrides.leaseMs ?? held.leaseMs, ttlMs: overrides.ttlMs ?? held.ttlMs };
      const stores = await context.handles(() => makeStore(setup));
      return { store: stores[0]!, stores, setup, key: (part) => `evt_${namespace}_${part}` };
    },
    expire: (ms, alreadyMs = 0) => context.elapse(ms + expiryGraceMs - alreadyMs),
  };
}
