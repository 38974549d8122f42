import { WebhookError } from '@ai-stats-webhooks/core';
import type { PostgresQueryable, PostgresResult } from '../driver/postgres-driver';

// undefined_table, invalid_schema_name: the schema was never migrated (or is another one).
const MISSING = new Set(['42P01', '3F000']);

/**
 * Wraps a queryable so that a query on a schema that was never migrated fails with what to do
 * (`store_unavailable`, the receiver answers 503) instead of PostgreSQL's bare "relation does not
 * exist". Every other error passes through as it is.
 *
 * @example
 * ```ts
 * const query = explainMissingSchema(driver, 'ai_stats_webhooks');
 * await query.query('select 1 from "ai_stats_webhooks".jobs limit 1');
 * ```
 */
export function explainMissingSchema<Q extends PostgresQueryable>(queryable: Q, schema: string): PostgresQueryable {
  return {
    async query<Row>(text: string, params?: readonly unknown[]): Promise<PostgresResult<Row>> {
      try {
        return await queryable.query<Row>(text, params);
      } catch (error) {
        const code = (error as { code?: unknown } | null)?.code;
        if (typeof code !== 'string' || !MISSING.has(code)) throw error;
        throw new WebhookError(
          'store_unavailable',
          `Expected the tables of schema "${schema}", found ${(error as Error).message}; run await migrate(db, { schema: '${schema}' }) once at start-up, before the stores are used.`,
          { cause: error },
        );
      }
    },
  };
}
