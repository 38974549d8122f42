import { invalidOption } from '../errors/invalid-option';

/**
 * Trims the configured secrets and drops empty ones; throws `invalid_option` if none is left.
 *
 * @example
 * ```ts
 * normalizeSecrets(' whsec_a ,'.split(',')); // ['whsec_a']
 * ```
 */
export function normalizeSecrets(secret: string | readonly string[]): readonly string[] {
  const list = (typeof secret === 'string' ? [secret] : Array.isArray(secret) ? secret : [])
    .filter((s): s is string => typeof s === 'string')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (list.length === 0) {
    throw invalidOption(
      'secret',
      "a non-empty string or array of strings (the endpoint's whsec_… signing secret; set AI_STATS_WEBHOOK_SECRET or pass { secret })",
      'none',
    );
  }
  return list;
}
