/**
 * A value or a promise of it. Store methods return this, so a store may answer synchronously (the
 * memory stores do) or with a promise (Redis, PostgreSQL); callers simply `await` it.
 *
 * @example
 * ```ts
 * const claim = await store.claim(key); // MaybePromise<ClaimResult>
 * ```
 */
export type MaybePromise<T> = T | PromiseLike<T>;
