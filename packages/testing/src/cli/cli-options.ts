import { parseArgs, type ParseArgsConfig } from 'node:util';

/**
 * A mistake in how the CLI was called: `runCli` prints its message with a hint and exits 2.
 *
 * @example
 * ```ts
 * throw new UsageError('--secret is required.');
 * ```
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * A command that was called right but failed (no answer, a refused connection): `runCli` prints
 * its one-line message (expected / found / fix) and exits 1.
 *
 * @example
 * ```ts
 * throw new CliFailure('send: expected an answer within 30 s, found none. Fix: …');
 * ```
 */
export class CliFailure extends Error {
  override readonly name = 'CliFailure';
}

/** The option table of one command, as `node:util` `parseArgs` takes it. */
export type OptionTable = NonNullable<ParseArgsConfig['options']>;

interface StrictConfig<T extends OptionTable> {
  args: string[];
  options: T & { help: { type: 'boolean' } };
  strict: true;
  allowPositionals: false;
}

/** The values {@link parseOptions} gives for an option table. */
export type OptionValues<T extends OptionTable> = ReturnType<typeof parseArgs<StrictConfig<T>>>['values'];

/**
 * Parses a command's arguments strictly (no positionals, no unknown options), adding `--help`;
 * a mistake becomes a {@link UsageError}.
 *
 * @example
 * ```ts
 * const v = parseOptions(['--secret', 's'], { secret: { type: 'string' } });
 * v.secret; // 's'
 * ```
 */
export function parseOptions<T extends OptionTable>(args: string[], options: T): OptionValues<T> {
  try {
    const config: StrictConfig<T> = {
      args,
      options: { ...options, help: { type: 'boolean' } },
      strict: true,
      allowPositionals: false,
    };
    return parseArgs(config).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/**
 * The value of a required option, or a {@link UsageError} naming it.
 *
 * @example
 * ```ts
 * requireOption(v.secret, '--secret'); // throws 'Expected --secret <value>, found none. …'
 * ```
 */
export function requireOption(value: string | undefined, flag: string): string {
  if (!value?.trim()) {
    const found = value === undefined || value === '' ? 'none' : 'only whitespace';
    throw new UsageError(`${flag} is required: expected ${flag} <value>, found ${found}.`);
  }
  return value;
}

/**
 * A numeric option within `min`–`max` (a whole number when `integer`), undefined when absent, or
 * a {@link UsageError} saying what was expected, what was found and the fix.
 *
 * @example
 * ```ts
 * numberOption('3', '--attempt', 1, 4, true); // 3
 * ```
 */
export function numberOption(
  value: string | undefined,
  flag: string,
  min: number,
  max: number,
  integer = false,
): number | undefined {
  if (value === undefined) return undefined;
  const n = value.trim() === '' ? NaN : Number(value);
  if (Number.isFinite(n) && n >= min && n <= max && (!integer || Number.isInteger(n))) return n;
  throw new UsageError(
    `${flag} must be a number from ${min} to ${max}${integer ? ' (a whole number)' : ''}, found "${value}". Fix: pass e.g. ${flag} ${min}.`,
  );
}

/**
 * A `--timestamp` option: whole Unix seconds (not milliseconds), undefined when absent.
 *
 * @example
 * ```ts
 * timestampOption('1786528925'); // 1786528925
 * ```
 */
export function timestampOption(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (/^\d{1,11}$/.test(value.trim())) return Number(value);
  const ms = /^\d{12,}$/.test(value.trim()) ? ' That looks like milliseconds: divide by 1000.' : '';
  throw new UsageError(
    `--timestamp must be whole Unix seconds such as 1786528925, found "${value}".${ms} Fix: pass whole seconds, or leave --timestamp out for now.`,
  );
}

/**
 * The header prefix option: `phaseo` (default) or `ai-stats`.
 *
 * @example
 * ```ts
 * prefixOption(undefined); // 'phaseo'
 * ```
 */
export function prefixOption(value: string | undefined): 'phaseo' | 'ai-stats' {
  if (value === undefined || value === 'phaseo' || value === 'ai-stats') return value ?? 'phaseo';
  throw new UsageError(`--prefix must be phaseo or ai-stats, found "${value}".`);
}
