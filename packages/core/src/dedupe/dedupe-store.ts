import type { MaybePromise } from '../maybe-promise';

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
 * Only the lease holder (the token) may release or extend; commit succeeds unless another live
 * lease holds the key. Methods may answer synchronously (the memory store does) or with a promise
 * (Redis).
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
  /**
   * Marks the key done. Succeeds when the key still holds this token or holds nothing (the lease
   * expired and nobody claimed it since); false only when another live lease holds it (another
   * worker claimed the event after this lease expired).
   */
  commit(key: string, token: string): MaybePromise<boolean>;
  /** Forgets the claim so the next attempt is processed. False when the lease was lost. */
  release(key: string, token: string): MaybePromise<boolean>;
  /**
   * Renews the lease for another `leaseMs` while the work goes on (the receiver calls it every
   * `leaseMs / 3` while handlers run). False when the key no longer holds this token. Optional:
   * without it a handler slower than `leaseMs` may see a second copy of its event start.
   */
  extend?(key: string, token: string): MaybePromise<boolean>;
  /** How long a claim lasts without renewal, in ms; with `extend`, it paces the heartbeat. */
  readonly leaseMs?: number;
  /** How long a done key is remembered, in ms; the receiver checks it outlasts the sender's retries. */
  readonly ttlMs?: number;
}
