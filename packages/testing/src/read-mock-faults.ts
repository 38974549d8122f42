import { failInput, isRecord } from './fail-input';
import type { MockFaults } from './webhook-sender';

type Check = (value: unknown, who: string, name: string) => void;

const probability: Check = (value, who, name) => {
  if (typeof value === 'number' && value >= 0 && value <= 1) return;
  const kind = typeof value === 'number' ? RangeError : TypeError;
  failInput(kind, who, `${name} to be a probability from 0 to 1`, value, 'pass e.g. 0.2 for one event in five.');
};

const finite =
  (min: number, fix: string): Check =>
  (value, who, name) => {
    if (typeof value === 'number' && Number.isFinite(value) && value >= min) return;
    const kind = typeof value === 'number' ? RangeError : TypeError;
    failInput(kind, who, `${name} to be a finite number${min > -Infinity ? ` >= ${min}` : ''}`, value, fix);
  };

const flag: Check = (value, who, name) => {
  if (typeof value !== 'boolean') failInput(TypeError, who, `${name} to be true or false`, value, 'pass a boolean.');
};

const oneOf =
  (words: readonly string[]): Check =>
  (value, who, name) => {
    if (words.includes(value as string)) return;
    const kind = typeof value === 'string' ? RangeError : TypeError;
    failInput(kind, who, `${name} to be one of ${words.join(', ')}`, value, 'pick one, or leave it out.');
  };

const CHECKS: Readonly<Record<keyof MockFaults, Check>> = {
  duplicate: probability,
  duplicateMode: oneOf(['sequential', 'concurrent']),
  reorder: probability,
  reorderDelayMs: finite(0, 'pass real milliseconds, e.g. 300.'),
  drop: probability,
  clockSkewSeconds: finite(-Infinity, 'pass seconds, e.g. 60 (or -60 for a clock behind).'),
  legacyHeaders: flag,
  apiLag: flag,
  apiMode: oneOf(['ok', '5xx', '501']),
};

/**
 * Checks fault knobs (`createMockGateway({ faults })`, `gateway.setFaults`): probabilities 0–1,
 * the known modes, finite delays and booleans, and no unknown (misspelt) knob. Bad input throws a
 * `TypeError` or `RangeError` naming the knob (expected / found / fix). An undefined knob is allowed.
 *
 * @example
 * ```ts
 * readMockFaults({ duplicate: 0.2 }, 'createMockGateway', 'options.faults'); // { duplicate: 0.2 }
 * ```
 */
export function readMockFaults(faults: unknown, who: string, name: string): MockFaults {
  if (faults === undefined) return {};
  if (!isRecord(faults))
    return failInput(
      TypeError,
      who,
      `${name} to be an object such as { duplicate: 0.2 }`,
      faults,
      'pass one, or leave it out.',
    );
  for (const [key, value] of Object.entries(faults)) {
    const check = Object.hasOwn(CHECKS, key) ? CHECKS[key as keyof MockFaults] : undefined;
    if (!check) {
      const fix = `use one of ${Object.keys(CHECKS).join(', ')}.`;
      failInput(RangeError, who, `${name} to have only known fault knobs`, key, fix);
    }
    if (value !== undefined) check(value, who, `${name}.${key}`);
  }
  return { ...(faults as MockFaults) };
}
