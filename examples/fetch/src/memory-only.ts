// The settings of the other examples that say where durable state lives. This example keeps its
// state in memory and cannot honour them, so asking for one stops it at start-up: a user who set
// DATABASE_URL would otherwise get 2xx answers whose state is gone at the next restart.

/** Where to go for durable state, in every refusal below. */
const DURABLE = 'use examples/express or examples/nextjs, which keep their state in PostgreSQL (or PGlite in DATA_DIR)';

/** Variables that name a durable store; this example refuses them (never echoing the value). */
export const DURABLE_STATE_VARIABLES = ['DATABASE_URL', 'REDIS_URL', 'STORE', 'PROCESSING'] as const;

/**
 * Variables that name a durable store but are only warned about: `DATA_DIR` alone, because the
 * repository's test harness gives every example a DATA_DIR of its own (test/helpers/example-app.ts).
 */
export const WARNED_STATE_VARIABLES = ['DATA_DIR'] as const;

/**
 * Throws an error naming the first setting that asks for durable state (`DATABASE_URL`,
 * `REDIS_URL`, `STORE` other than `memory`, `PROCESSING` other than `inline`); returns the warnings
 * to print for the settings that are ignored (`DATA_DIR`).
 *
 * @example
 * ```ts
 * const warnings = refuseDurableState(process.env, (message) => new ConfigError(message));
 * ```
 */
export function refuseDurableState(
  env: Record<string, string | undefined>,
  error: (message: string) => Error,
): string[] {
  for (const name of ['DATABASE_URL', 'REDIS_URL'] as const) {
    if (env[name]?.trim())
      throw error(
        `${name} is set, but the fetch example keeps its state in memory (lost at exit): expected ${name} to be unset, found a value. Fix: unset ${name}, or ${DURABLE}.`,
      );
  }
  const store = env.STORE?.trim();
  if (store && store !== 'memory')
    throw error(
      `STORE must be "memory" or unset: the fetch example keeps its state in memory (lost at exit), found ${quoted(store)}. Fix: unset STORE, or ${DURABLE}.`,
    );
  const processing = env.PROCESSING?.trim();
  if (processing === 'inbox')
    throw error(
      `PROCESSING=inbox needs a durable inbox, and the fetch example keeps its state in memory: expected PROCESSING to be "inline" or unset, found "inbox". Fix: unset PROCESSING, or ${DURABLE}.`,
    );
  if (processing && processing !== 'inline')
    throw error(
      `PROCESSING must be "inline" or unset (the fetch example's only mode), found ${quoted(processing)}. Fix: unset PROCESSING.`,
    );
  return env.DATA_DIR?.trim()
    ? [
        `DATA_DIR is set but not used: the fetch example keeps its state in memory, lost at exit. For state on disk, ${DURABLE}.`,
      ]
    : [];
}

const quoted = (value: string): string => JSON.stringify(value.slice(0, 40));
