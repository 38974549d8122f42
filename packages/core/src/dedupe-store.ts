import type { MaybePromise } from './maybe-promise';

/**
 * The outcome of claiming an event id: this caller owns it now (`claimed`, with the token that
 * commits or releases it), another worker is processing it (`in_flight`), or it was processed
 * already (`done`).
 */
export type ClaimResult =
  | { readonly outcome: 'claimed'; readonly token: string }
  | { readonly outcome: 'in_flight' }
  | { readonly outcome: 'done' };

/**
 * Exactly-once bookkeeping per event id: absent → in flight (a lease that expires, so a crashed
 * worker does not block retries) → done (kept for a TTL longer than the sender's retry horizon).
 * Only the lease holder (the token) may commit or release. Methods may answer synchronously (the
 * memory store does) or with a promise (Redis).
 *
 * @example
 * ```ts
 * const claim = await store.claim(event.id);
 * if (claim.outcome === 'claimed') {
 *   try { await work(); await store.commit(event.id, claim.token); }
 *   catch (error) { await store.release(event.id, claim.token); throw error; }
 * }
 * ```
 */
export interface DedupeStore {
  claim(key: string): MaybePromise<ClaimResult>;
  /** Marks the key done. False when the lease was lost (it expired and someone else claimed). */
  commit(key: string, token: string): MaybePromise<boolean>;
  /** Forgets the claim so the next attempt is processed. False when the lease was lost. */
  release(key: string, token: string): MaybePromise<boolean>;
}
