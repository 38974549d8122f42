/**
 * Throws the kit's input error: `<who>: expected <expected>, found <found>. Fix: <fix>`, as a
 * `TypeError` (wrong type) or a `RangeError` (right type, wrong value).
 *
 * @example
 * ```ts
 * failInput(RangeError, 'createBatch', 'options.outcome to be completed, failed or expired', 'bogus', 'pick one.');
 * // RangeError: createBatch: expected options.outcome to be completed, failed or expired, found "bogus". Fix: pick one.
 * ```
 */
export function failInput(
  kind: TypeErrorConstructor | RangeErrorConstructor,
  who: string,
  expected: string,
  found: unknown,
  fix: string,
): never {
  throw new kind(`${who}: expected ${expected}, found ${showValue(found)}. Fix: ${fix}`);
}

/**
 * A short, readable form of a value for an error message: strings quoted, arrays and plain objects
 * as (cut) JSON, everything else as `String(value)`.
 *
 * @example
 * ```ts
 * showValue('bogus'); // '"bogus"'
 * showValue(['a', 1]); // '["a",1]'
 * ```
 */
export function showValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
  if (Array.isArray(value) || (typeof value === 'object' && value !== null)) {
    let text: string;
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = Object.prototype.toString.call(value);
    }
    return text.length > 80 ? `${text.slice(0, 80)}…` : text;
  }
  return String(value);
}

/**
 * True for a plain object (not null, not an array): what every options argument must be.
 *
 * @example
 * ```ts
 * isRecord({}); // true
 * isRecord(null); // false
 * ```
 */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
