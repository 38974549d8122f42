import { describeFound } from './describe-found';
import { WebhookError } from './webhook-error';

/**
 * The one error for a bad option, thrown at construction: `invalid_option`, naming the option,
 * what was expected and what was found.
 *
 * @example
 * ```ts
 * throw invalidOption('reconcile', '"on-conflict", "always" or "never"', JSON.stringify(value));
 * ```
 */
export function invalidOption(option: string, expected: string, found: string): WebhookError {
  return new WebhookError('invalid_option', `Option "${option}": expected ${expected}, found ${found}.`, {
    details: { option },
  });
}

/**
 * Validates an integer option (a count, or milliseconds): at least `min` (default 1), at most `max`.
 *
 * @example
 * ```ts
 * const maxBatch = integerOption('maxBatch', options.maxBatch ?? 100, { max: 10_000 });
 * ```
 */
export function integerOption(
  option: string,
  value: unknown,
  {
    min = 1,
    max = Number.MAX_SAFE_INTEGER,
    unit,
  }: { readonly min?: number; readonly max?: number; readonly unit?: string } = {},
): number {
  if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return value;
  const range = max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `from ${min} to ${max}`;
  throw invalidOption(option, `an integer${unit ? ` number of ${unit}` : ''} ${range}`, describeFound(value));
}

/** The longest delay a timer takes (2³¹ − 1 ms, about 24.8 days); a longer one fires at once. */
export const MAX_TIMER_MS = 2_147_483_647;

/**
 * Validates a duration that feeds a timer (`setTimeout`, `AbortSignal.timeout`): whole milliseconds
 * from `min` (default 1) to {@link MAX_TIMER_MS}, since a longer delay would fire at once.
 *
 * @example
 * ```ts
 * const leaseMs = timerOption('leaseMs', options.leaseMs ?? 60_000);
 * ```
 */
export function timerOption(option: string, value: unknown, { min = 1 }: { readonly min?: number } = {}): number {
  return integerOption(option, value, { min, max: MAX_TIMER_MS, unit: 'milliseconds' });
}

/**
 * Validates a finite number option, at least `min` (default 0).
 *
 * @example
 * ```ts
 * const toleranceSeconds = numberOption('toleranceSeconds', options.toleranceSeconds ?? 300, { unit: 'seconds' });
 * ```
 */
export function numberOption(
  option: string,
  value: unknown,
  { min = 0, unit }: { readonly min?: number; readonly unit?: string } = {},
): number {
  if (typeof value === 'number' && Number.isFinite(value) && value >= min) return value;
  throw invalidOption(option, `a number${unit ? ` of ${unit}` : ''} ≥ ${min}`, describeFound(value));
}

/**
 * Validates an option that takes one of a few words.
 *
 * @example
 * ```ts
 * const legacy = oneOfOption('legacy', options.legacy ?? 'reject', ['reject', 'accept'] as const);
 * ```
 */
export function oneOfOption<const T extends string>(option: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  const words = allowed.map((word) => JSON.stringify(word));
  throw invalidOption(option, `${words.slice(0, -1).join(', ')} or ${words.at(-1)}`, describeFound(value));
}
