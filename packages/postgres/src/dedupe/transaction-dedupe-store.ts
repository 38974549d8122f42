import type { ClaimResult, DedupeStore } from '@ai-stats-webhooks/core';
import type { PostgresQueryable } from '../driver/postgres-driver';
import { commitSql, lockName, stateSql } from './dedupe-sql';

/**
 * The dedupe store of one open transaction (see `createPostgresStores`). `claim` tries the
 * event's advisory lock for the rest of the transaction (`pg_try_advisory_xact_lock`): taken by
 * another transaction → `in_flight`; else a done row → `done`, a live lease of a store outside
 * transactions → `in_flight`, nothing → `claimed`. The check is a statement of its own after the
 * lock, so it sees a done row that the previous holder committed. `commit` writes the done row in
 * the transaction (it commits with everything else, or not at all); `release` does nothing (the
 * rollback forgets the claim, and the lock goes with the transaction). No `extend`: the lock lasts
 * as long as the transaction, so there is no lease to renew. `onClaim` is called at each claim
 * (`createPostgresStores` counts them there to prune expired rows every `pruneEvery` claims).
 *
 * @example
 * ```ts
 * await driver.transaction(async (tx) => {
 *   const dedupe = createTransactionDedupeStore(tx, { schema: 'ai_stats_webhooks', table, ttlMs });
 *   const claim = await dedupe.claim(eventId);
 * });
 * ```
 */
export function createTransactionDedupeStore(
  tx: PostgresQueryable,
  options: { readonly schema: string; readonly table: string; readonly ttlMs: number; readonly onClaim?: () => void },
): DedupeStore {
  const { schema, table, ttlMs } = options;
  return {
    async claim(key): Promise<ClaimResult> {
      options.onClaim?.();
      const lock = await tx.query<{ free: boolean }>(
        'select pg_try_advisory_xact_lock(hashtextextended($1, 0)) as free',
        [lockName(schema, key)],
      );
      if (lock.rows[0]?.free !== true) return { outcome: 'in_flight' };
      const { rows } = await tx.query<{ state: 'lease' | 'done' }>(stateSql(table), [key]);
      if (rows[0]?.state === 'done') return { outcome: 'done' };
      if (rows[0]?.state === 'lease') return { outcome: 'in_flight' };
      return { outcome: 'claimed', token: `tx:${globalThis.crypto.randomUUID()}` };
    },
    commit: async (key, token) => (await tx.query(commitSql(table), [key, token, ttlMs])).rows.length === 1,
    release: async () => true,
    ttlMs,
  };
}
