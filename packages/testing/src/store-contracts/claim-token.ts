/// <reference types="jest" />
import type { ClaimResult, DedupeStore } from '@ai-stats-webhooks/core';

/**
 * Claims `key`, expects the claim to be won, and returns its token.
 *
 * @example
 * ```ts
 * const token = await claimToken(store, key);
 * expect(await store.commit(key, token)).toBe(true);
 * ```
 */
export async function claimToken(store: DedupeStore, key: string): Promise<string> {
  const claim = await store.claim(key);
  expect(claim.outcome).toBe('claimed');
  const token = (claim as { readonly token?: unknown }).token;
  expect(typeof token).toBe('string');
  expect(token).not.toBe('');
  return token as string;
}

/**
 * Claims `key` and returns only the outcome (`claimed`, `in_flight` or `done`).
 *
 * @example
 * ```ts
 * expect(await claimOutcome(store, key)).toBe('in_flight');
 * ```
 */
export async function claimOutcome(store: DedupeStore, key: string): Promise<ClaimResult['outcome']> {
  return (await store.claim(key)).outcome;
}

/**
 * Starts `count` claims of one key at once, spread over the handles, and counts the outcomes;
 * `token` is the winner's, when one claim won.
 *
 * @example
 * ```ts
 * const race = await raceClaims(stores, key, 50);
 * expect(race.outcomes).toEqual({ claimed: 1, in_flight: 49, done: 0 });
 * ```
 */
export async function raceClaims(
  stores: readonly DedupeStore[],
  key: string,
  count: number,
): Promise<{ readonly outcomes: Record<string, number>; readonly token: string | undefined }> {
  // Every claim is started before any answer is awaited, so async stores really race.
  const pending = Array.from({ length: count }, (_, i) => stores[i % stores.length]!.claim(key));
  const outcomes: Record<string, number> = { claimed: 0, in_flight: 0, done: 0 };
  let token: string | undefined;
  for (const result of await Promise.all(pending)) {
    outcomes[result.outcome] = (outcomes[result.outcome] ?? 0) + 1;
    if (result.outcome === 'claimed') token = result.token;
  }
  return { outcomes, token };
}
