import { failInput, isRecord } from './fail-input';
import type { MOCK_GATEWAY_DEFAULTS, MockGatewayOptions } from './mock-gateway';
import { readHttpUrl } from './mock-job-input';
import { readMockFaults } from './read-mock-faults';
import { validSubscriptions } from './valid-subscriptions';
import type { MockFaults } from './webhook-sender';

/** The options of `createMockGateway`, checked, with every default filled in. */
export interface ResolvedMockGatewayOptions {
  readonly port: number;
  readonly apiKey: string;
  /** Undefined (or empty) for a fresh secret. */
  readonly secret: string | undefined;
  readonly webhookUrl: string | undefined;
  readonly events: readonly string[];
  readonly timeScale: number;
  readonly queuedMs: number;
  readonly stepMs: number;
  readonly readings: readonly number[];
  readonly failKeyword: string;
  readonly faults: MockFaults;
  readonly seed: number;
  readonly timeoutMs: number;
}

const WHO = 'createMockGateway';
// Node timers fire at once beyond this (TimeoutOverflowWarning).
const MAX_TIMER_MS = 2_147_483_647;

/**
 * Checks every option of `createMockGateway` and fills in the defaults. Bad input throws a
 * `TypeError` or `RangeError` naming the option, with expected / found / fix.
 *
 * @example
 * ```ts
 * readMockGatewayOptions({ timeScale: 60 }, MOCK_GATEWAY_DEFAULTS).stepMs; // 10000
 * ```
 */
export function readMockGatewayOptions(
  options: unknown,
  defaults: typeof MOCK_GATEWAY_DEFAULTS,
): ResolvedMockGatewayOptions {
  if (options === undefined) options = {};
  if (!isRecord(options))
    failInput(
      TypeError,
      WHO,
      'options to be an object such as { timeScale: 60 }',
      options,
      'pass one, or leave it out.',
    );
  const o = options as MockGatewayOptions & Record<string, unknown>;
  const lifecycle = readLifecycle(o.lifecycle, defaults);
  return {
    port:
      o.port === undefined
        ? 0
        : readNumber(o.port, 'options.port', 0, 65535, 'pass a port from 0 (a free one) to 65535.', true),
    apiKey:
      o.apiKey === undefined
        ? defaults.apiKey
        : readWord(o.apiKey, 'options.apiKey', "pass a key such as 'sk_mock_local'."),
    secret: readSecret(o.secret, WHO, 'options.secret'),
    webhookUrl: o.webhookUrl === undefined ? undefined : readHttpUrl(o.webhookUrl, WHO, 'options.webhookUrl'),
    events: o.events === undefined ? defaults.events : readEvents(o.events),
    timeScale: readTimeScale(o.timeScale),
    ...lifecycle,
    failKeyword:
      o.failKeyword === undefined
        ? defaults.failKeyword
        : readWord(o.failKeyword, 'options.failKeyword', "pass a word such as 'fail'.", true),
    faults: readMockFaults(o.faults, WHO, 'options.faults'),
    seed:
      o.seed === undefined ? 1 : readNumber(o.seed, 'options.seed', -Infinity, Infinity, 'pass a number such as 42.'),
    timeoutMs: o.timeoutMs === undefined ? defaults.timeoutMs : readTimeout(o.timeoutMs),
  };
}

/**
 * Checks a signing secret: a string, or undefined (an empty one means a fresh secret too).
 *
 * @example
 * ```ts
 * readSecret('whsec_x', 'rotateSecret', 'next'); // 'whsec_x'
 * ```
 */
export function readSecret(value: unknown, who: string, name: string): string | undefined {
  if (value === undefined || typeof value === 'string') return value;
  return failInput(
    TypeError,
    who,
    `${name} to be a string such as 'whsec_test'`,
    value,
    'pass a string, or leave it out for a fresh secret.',
  );
}

function readNumber(value: unknown, name: string, min: number, max: number, fix: string, integer = false): number {
  if (typeof value !== 'number' || Number.isNaN(value))
    return failInput(TypeError, WHO, `${name} to be a number`, value, fix);
  if (!Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
    const range = min === -Infinity ? 'finite' : `from ${min} to ${max}`;
    failInput(RangeError, WHO, `${name} to be ${integer ? 'an integer' : 'a number'} ${range}`, value, fix);
  }
  return value;
}

// A non-empty string; `spaces: false` also refuses any whitespace (an API key goes in a header).
function readWord(value: unknown, name: string, fix: string, spaces = false): string {
  if (typeof value === 'string' && value.trim() !== '' && (spaces || !/\s/.test(value))) return value;
  const kind = typeof value === 'string' ? RangeError : TypeError;
  const expected = `${name} to be a non-empty string${spaces ? '' : ' without spaces'}`;
  return failInput(kind, WHO, expected, value, fix);
}

function readTimeScale(value: unknown): number {
  if (value === undefined) return 1;
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) return value;
  const expected = 'options.timeScale to be a finite number > 0 (how many times faster gateway time runs)';
  const fix = 'pass e.g. 60 for a gateway minute per second, or leave it out for real time.';
  return failInput(typeof value === 'number' ? RangeError : TypeError, WHO, expected, value, fix);
}

function readTimeout(value: unknown): number {
  const fix = 'pass real milliseconds, e.g. 10000 (the default).';
  return readNumber(value, 'options.timeoutMs', 1, MAX_TIMER_MS, fix);
}

// Every name must be valid for a video or a batch: a typo would silently subscribe to nothing.
function readEvents(value: unknown): readonly string[] {
  const fix =
    "use job.<phase>, video.<phase>, batch.<phase> or a bare phase, e.g. ['job.completed', 'video.progress'].";
  if (!Array.isArray(value) || !value.every((e) => typeof e === 'string'))
    return failInput(TypeError, WHO, 'options.events to be an array of subscription names', value, fix);
  const known = new Set(validSubscriptions(value as string[]));
  const unknown = (value as string[]).filter((name) => !known.has(name));
  if (unknown.length > 0) failInput(RangeError, WHO, 'options.events to hold only subscription names', unknown, fix);
  return [...(value as string[])];
}

function readLifecycle(
  value: unknown,
  d: typeof MOCK_GATEWAY_DEFAULTS,
): Pick<ResolvedMockGatewayOptions, 'queuedMs' | 'stepMs' | 'readings'> {
  if (value === undefined) return { queuedMs: d.queuedMs, stepMs: d.stepMs, readings: d.readings };
  if (!isRecord(value))
    return failInput(
      TypeError,
      WHO,
      'options.lifecycle to be an object { queuedMs?, stepMs?, readings? }',
      value,
      'pass one, or leave it out.',
    );
  const unknown = Object.keys(value).filter((key) => !['queuedMs', 'stepMs', 'readings'].includes(key));
  if (unknown.length > 0)
    failInput(
      RangeError,
      WHO,
      'options.lifecycle to have only queuedMs, stepMs and readings',
      unknown[0],
      'remove it or fix its spelling.',
    );
  const ms = (key: 'queuedMs' | 'stepMs') =>
    value[key] === undefined
      ? d[key]
      : readNumber(
          value[key],
          `options.lifecycle.${key}`,
          0,
          Number.MAX_VALUE,
          'pass gateway milliseconds, e.g. 10000.',
        );
  return {
    queuedMs: ms('queuedMs'),
    stepMs: ms('stepMs'),
    readings: value.readings === undefined ? d.readings : readReadings(value.readings),
  };
}

function readReadings(value: unknown): readonly number[] {
  const fix = 'pass provider percentages from 0 to 100, e.g. [12, 33, 52, 71, 88].';
  if (!Array.isArray(value) || !value.every((r) => typeof r === 'number'))
    return failInput(TypeError, WHO, 'options.lifecycle.readings to be an array of numbers', value, fix);
  const bad = (value as number[]).filter((r) => !(r >= 0 && r <= 100));
  if (bad.length > 0) failInput(RangeError, WHO, 'options.lifecycle.readings to be numbers from 0 to 100', bad, fix);
  return [...(value as number[])];
}
