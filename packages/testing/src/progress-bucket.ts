/**
 * The sender's progress bucket for a reading, or undefined when the reading produces no event
 * (`p <= 0` or `p >= 100`). Buckets: 5, 10, 20, …, 90, 95 (spec §4).
 *
 * @example
 * ```ts
 * progressBucket(52); // 50
 * progressBucket(99.6); // 95
 * ```
 */
export function progressBucket(progress: number): number | undefined {
  if (!(progress > 0 && progress < 100)) return undefined;
  return Math.min(95, Math.max(5, Math.round(Math.round(progress) / 10) * 10));
}
