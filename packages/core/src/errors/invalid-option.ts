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
 * Validates an integer option (a count, or milliseconds): at least `min` (default 1).
 *
 * @example
 * ```ts
 * const leaseMs = integerOption('leaseMs', options.leaseMs ?? 60_000, { unit: 'milliseconds' });
 * ```
 */
export function integerOption(
  option: string,
  value: unknown,
  { min = 1, unit }: { readonly min?: number; readonly unit?: string } = {},
): number {
  if (typeof value === 'number' && Number.isInteger(value) && value >= min) return value;
  throw invalidOption(option, `an integer${unit ? ` number of ${unit}` : ''} ≥ ${min}`, describeFound(value));
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
