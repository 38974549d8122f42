/**
 * A value as an error message's "found …": short, and never a whole object (it may hold a secret).
 * Strings are quoted and cut at 80 characters; `undefined` is "nothing"; an object shows its first
 * keys only.
 *
 * @example
 * ```ts
 * throw invalidOption('registry', 'a prom-client Registry', describeFound(options.registry));
 * describeFound({ url: 'x' }); // 'an object with keys ["url"]'
 * ```
 */
export function describeFound(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return JSON.stringify(value.slice(0, 80));
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'function') return 'a function';
  if (value !== null && typeof value === 'object') {
    return `an object with keys ${JSON.stringify(Object.keys(value).slice(0, 8))}`;
  }
  return String(value);
}
