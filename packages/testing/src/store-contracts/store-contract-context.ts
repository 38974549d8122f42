import { WebhookError, type MaybePromise } from '@ai-stats-webhooks/core';

/**
 * A clock the store reads and the contract suite moves forward: give it when the store takes an
 * injectable clock (the memory stores' `now`), so that the expiry cases advance time instead of
 * sleeping. `advance` may return a promise (a store whose clock lives in a database).
 *
 * @example
 * ```ts
 * let t = 0;
 * const clock = { now: () => t, advance: (ms: number) => void (t += ms) };
 * describeDedupeStoreContract(
 *   'memory',
 *   ({ leaseMs, ttlMs }) => createMemoryDedupeStore({ leaseMs, ttlMs, now: clock.now }),
 *   { clock },
 * );
 * ```
 */
export interface StoreContractClock {
  advance(ms: number): MaybePromise<void>;
}

/** The options every contract suite shares. */
export interface StoreContractContextOptions {
  readonly clock?: StoreContractClock | undefined;
  readonly instances?: number | undefined;
  readonly timeoutMs?: number | undefined;
}

/** What every contract case runs with: how time passes, fresh namespaces, the handles that race. */
export interface StoreContractContext {
  /** True when time is a {@link StoreContractClock} (advanced), false when it is real (slept). */
  readonly controlled: boolean;
  /** Lets `ms` pass: advances the clock, or sleeps that long. */
  elapse(ms: number): Promise<void>;
  /** A namespace no other case of this process has used. */
  namespace(): string;
  /** `instances` handles from `make` (called that many times with the same setup). */
  handles<T>(make: () => MaybePromise<T>): Promise<T[]>;
  /** The Jest timeout of each case. */
  readonly timeoutMs: number;
}

let namespaces = 0;
const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 36 ** 4).toString(36)}`;

/**
 * Builds the shared context of a contract suite from its options, validated once.
 *
 * @example
 * ```ts
 * const context = createStoreContractContext({ instances: 3 }, 10_000);
 * await context.elapse(200); // sleeps: no clock was given
 * ```
 */
export function createStoreContractContext(
  options: StoreContractContextOptions,
  defaultTimeoutMs: number,
): StoreContractContext {
  const clock = options.clock;
  if (clock !== undefined && typeof clock.advance !== 'function') {
    throw invalid('clock', 'an object with advance(ms)', typeof clock.advance);
  }
  const instances = positiveInteger('instances', options.instances ?? 1);
  const timeoutMs = positiveInteger('timeoutMs', options.timeoutMs ?? defaultTimeoutMs);
  return {
    controlled: clock !== undefined,
    async elapse(ms) {
      if (ms <= 0) return;
      if (clock === undefined) await new Promise((resolve) => setTimeout(resolve, ms));
      else await clock.advance(ms);
    },
    namespace: () => `c${run}n${++namespaces}`,
    handles: (make) => Promise.all(Array.from({ length: instances }, () => make())),
    timeoutMs,
  };
}

/**
 * Checks that an option is a positive integer, naming the option when it is not.
 *
 * @example
 * ```ts
 * const leaseMs = positiveInteger('leaseMs', options.leaseMs ?? 200);
 * ```
 */
export function positiveInteger(option: string, value: number): number {
  if (!Number.isInteger(value) || value <= 0) throw invalid(option, 'a positive integer', String(value));
  return value;
}

function invalid(option: string, expected: string, found: string): WebhookError {
  return new WebhookError('invalid_option', `Option "${option}": expected ${expected}, found ${found}.`, {
    details: { option },
  });
}
