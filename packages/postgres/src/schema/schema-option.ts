import { invalidOption } from '@ai-stats-webhooks/core';

/**
 * The schema the kit's tables live in when no `schema` option is given.
 *
 * @example
 * ```ts
 * await pool.query(`select count(*) from ${DEFAULT_SCHEMA}.jobs`);
 * ```
 */
export const DEFAULT_SCHEMA = 'ai_stats_webhooks';

// Lower case only: the kit always quotes the name, and an unquoted name in the user's own SQL
// folds to lower case, so both reach the same schema. 63 bytes is PostgreSQL's NAMEDATALEN - 1.
const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Validates a `schema` option (default {@link DEFAULT_SCHEMA}) and returns it quoted for SQL:
 * lower-case letters, digits and underscores, starting with a letter or underscore, at most 63
 * characters, not `pg_…` (reserved by PostgreSQL).
 *
 * @example
 * ```ts
 * const { name, sql } = schemaOption(options.schema); // sql = '"ai_stats_webhooks"'
 * await db.query(`select * from ${sql}.jobs`);
 * ```
 */
export function schemaOption(value: unknown, option = 'schema'): { readonly name: string; readonly sql: string } {
  const name = value ?? DEFAULT_SCHEMA;
  if (typeof name === 'string' && IDENTIFIER.test(name) && !name.startsWith('pg_')) {
    return { name, sql: `"${name}"` };
  }
  throw invalidOption(
    option,
    'a PostgreSQL schema name of lower-case letters, digits and underscores, starting with a letter or underscore, at most 63 characters and not starting with "pg_" (default "ai_stats_webhooks")',
    typeof name === 'string' ? JSON.stringify(name.slice(0, 80)) : String(name),
  );
}
