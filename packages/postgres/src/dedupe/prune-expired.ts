import type { PostgresQueryable } from '../driver/postgres-driver';

/**
 * Deletes expired dedupe rows with `pruneSql` (one statement per batch of `batch` rows) until a
 * batch comes back short or `batches` ran; resolves how many rows went.
 *
 * @example
 * ```ts
 * const deleted = await pruneExpired(db, pruneSql(table), 500);
 * ```
 */
export async function pruneExpired(
  db: PostgresQueryable,
  sql: string,
  batch: number,
  batches = Number.POSITIVE_INFINITY,
): Promise<number> {
  let deleted = 0;
  for (let done = 0; done < batches; done++) {
    const { rows } = await db.query(sql, [batch]);
    deleted += rows.length;
    if (rows.length < batch) break;
  }
  return deleted;
}

/**
 * A counter of claims that deletes one batch of expired rows every `every` calls (0: never), in
 * the background and on `db` itself: never in a delivery's transaction, so a prune neither holds
 * a delivery up nor rolls back with it. A failing prune is ignored (the next one tries again).
 *
 * @example
 * ```ts
 * const claimed = pruneEveryNthClaim(driver, pruneSql(table), { every: 1_000, batch: 500 });
 * async function claim(key) { claimed(); … }
 * ```
 */
export function pruneEveryNthClaim(
  db: PostgresQueryable,
  sql: string,
  options: { readonly every: number; readonly batch: number },
): () => void {
  let claims = 0;
  return () => {
    if (options.every > 0 && ++claims % options.every === 0) {
      void pruneExpired(db, sql, options.batch, 1).catch(() => undefined);
    }
  };
}
