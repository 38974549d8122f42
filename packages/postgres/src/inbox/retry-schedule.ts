/** The exponential backoff of the inbox worker: the delay before retry n is about `baseMs · 2^(n-1)`, capped at `maxMs`. */
export interface InboxBackoff {
  readonly baseMs: number;
  readonly maxMs: number;
}

/**
 * How long a failed inbox event waits before its next attempt, after `failures` failed attempts
 * (1 for the first): `min(maxMs, baseMs · 2^(failures-1))`, of which a random half is taken off
 * ("equal jitter", so that events that failed together do not retry together), and never less
 * than `retryAfterMs` (the Video API's `Retry-After`). With the defaults (10 s, 1 h) the first
 * retry comes 5–10 s after the failure.
 *
 * @example
 * ```ts
 * retryDelayMs(1, { baseMs: 10_000, maxMs: 3_600_000 }, () => 1); // 10_000
 * retryDelayMs(3, { baseMs: 10_000, maxMs: 3_600_000 }, () => 0); // 20_000
 * ```
 */
export function retryDelayMs(
  failures: number,
  backoff: InboxBackoff,
  random: () => number = Math.random,
  retryAfterMs?: number,
): number {
  const exponent = Math.min(Math.max(failures - 1, 0), 40);
  const ceiling = Math.min(backoff.maxMs, backoff.baseMs * 2 ** exponent);
  const jittered = ceiling / 2 + (ceiling / 2) * Math.min(Math.max(random(), 0), 1);
  const floor = typeof retryAfterMs === 'number' && Number.isFinite(retryAfterMs) ? retryAfterMs : 0;
  return Math.round(Math.max(jittered, floor));
}
