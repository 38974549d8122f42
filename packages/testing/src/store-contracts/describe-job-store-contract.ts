/// <reference types="jest" />
import type { JobStore, MaybePromise } from '@ai-stats-webhooks/core';
import { describeJobConcurrencyCases } from './describe-job-concurrency-cases';
import { describeJobCountCases } from './describe-job-count-cases';
import { describeJobOpenCases } from './describe-job-open-cases';
import { describeJobReadWriteCases } from './describe-job-read-write-cases';
import { createStoreContractContext, type StoreContractContext } from './store-contract-context';

/** What `makeStore` receives for one case of {@link describeJobStoreContract}. */
export interface JobStoreContractSetup {
  /**
   * New for every case: use it as the key prefix (or schema, or table suffix) so that every case
   * starts from an empty store. Calls with the same namespace must reach the same data.
   */
  readonly namespace: string;
}

/** Options of {@link describeJobStoreContract}. */
export interface JobStoreContractOptions {
  /**
   * How many handles the concurrent cases race through: `makeStore` is called this many times
   * with one setup, and the handles must share their data (several connections, as several app
   * instances have). Default 1; keep 1 for an in-process store.
   */
  readonly instances?: number;
  /**
   * False for a store without `listOpen`: the open-job cases then check what the poller reads
   * instead, `listOpenJobs(store)` (which falls back to `list`). Default true.
   */
  readonly listOpen?: boolean;
  /** The Jest timeout of each case, in ms. Default 30 s. */
  readonly timeoutMs?: number;
}

/**
 * Defaults of {@link describeJobStoreContract}.
 *
 * @example
 * ```ts
 * JOB_STORE_CONTRACT_DEFAULTS.concurrentWriters; // 50 updates race on one job
 * ```
 */
export const JOB_STORE_CONTRACT_DEFAULTS = Object.freeze({
  /** Updates raced on one job. */
  concurrentWriters: 50,
  /** Jobs written for the paging cases (list, count): more than one page of the Redis store (200). */
  manyJobs: 250,
  timeoutMs: 30_000,
});

/** What the job case groups share. */
export interface JobContractSuite {
  readonly context: StoreContractContext;
  readonly listOpen: boolean;
  /** Fresh, empty stores for one case (`instances` handles on one namespace). */
  open(): Promise<{ readonly store: JobStore; readonly stores: readonly JobStore[]; readonly namespace: string }>;
}

/**
 * Declares the Jest suite every {@link JobStore} must pass: `get` and `update` give back every
 * field stored, with the versions the state machine counts; an `apply` that returns the current
 * state writes nothing; `update` is atomic under many concurrent writers (none lost, `apply`
 * possibly called more than once); `list` is newest first with `limit` and `status`, across
 * pages; `listOpen` holds only queued and processing jobs, oldest first; `countByStatus` counts
 * per kind and status, and `countJobs` agrees with it (a store without it is checked through
 * `countJobs`, which counts `list()`). Call it at the top level of a test file (Jest globals, or
 * Vitest with `globals: true`); every case calls `makeStore` with a new namespace and expects an
 * empty store.
 *
 * @example
 * ```ts
 * import { describeJobStoreContract } from '@ai-stats-webhooks/testing';
 *
 * describeJobStoreContract('my store', ({ namespace }) => createMyJobStore({ db, prefix: `${namespace}:` }), {
 *   instances: 3,
 * });
 * ```
 */
export function describeJobStoreContract(
  name: string,
  makeStore: (setup: JobStoreContractSetup) => MaybePromise<JobStore>,
  options: JobStoreContractOptions = {},
): void {
  const context = createStoreContractContext(options, JOB_STORE_CONTRACT_DEFAULTS.timeoutMs);
  const suite: JobContractSuite = {
    context,
    listOpen: options.listOpen ?? true,
    async open() {
      const namespace = context.namespace();
      const stores = await context.handles(() => makeStore({ namespace }));
      return { store: stores[0]!, stores, namespace };
    },
  };
  describe(`JobStore contract: ${name}`, () => {
    describeJobReadWriteCases(suite);
    describeJobConcurrencyCases(suite);
    describeJobOpenCases(suite);
    describeJobCountCases(suite);
  });
}
