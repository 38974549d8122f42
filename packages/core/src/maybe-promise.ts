/**
 * A value or a promise of it. Store methods return this: a store that answers synchronously (the
 * memory stores) lets the receiver skip a promise and a microtask turn per call, and `await`
 * works on both.
 *
 * @example
 * ```ts
 * const claim: MaybePromise<ClaimResult> = store.claim(key);
 * const result = isPromiseLike(claim) ? await claim : claim;
 * ```
 */
export type MaybePromise<T> = T | PromiseLike<T>;

/**
 * True for a promise or any thenable (what `await` would wait for).
 *
 * @example
 * ```ts
 * isPromiseLike(Promise.resolve(1)); // true
 * isPromiseLike(1); // false
 * ```
 */
export function isPromiseLike<T>(value: MaybePromise<T>): value is PromiseLike<T> {
  return typeof value === 'object' && value !== null && typeof (value as PromiseLike<T>).then === 'function';
}
