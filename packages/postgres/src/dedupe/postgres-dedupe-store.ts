import {
  MEMORY_DEDUPE_DEFAULTS,
  integerOption,
  timerOption,
  type ClaimResult,
  type DedupeStore,
} from '@ai-stats-webhooks/core';
import { toPostgresDriver, type PostgresDatabase } from '../driver/postgres-driver';
import { explainMissingSchema } from '../schema/explain-missing-schema';
import { schemaOption } from '../schema/schema-option';
import { claimSql, commitSql, extendSql, lockName, pruneSql, releaseSql } from './dedupe-sql';
import { pruneEveryNthClaim, pruneExpired } from './prune-expired';

/** Options shared by the PostgreSQL stores. */
export interface PostgresStoreBaseOptions {
  /** A `pg` `Pool`, a PGlite instance, or a driver from `fromPgPool()` / `fromPGlite()`. */
  readonly db: PostgresDatabase;
  /** The schema `migrate()` created. Default `ai_stats_webhooks`. */
  readonly schema?: string;
}

/** Options of {@link createPostgresDedupeStore}. */
export interface PostgresDedupeStoreOptions extends PostgresStoreBaseOptions {
  /** How long a processed event id is remembered. Default 24 h. */
  readonly ttlMs?: number;
  /** How long an in-flight claim blocks other instances if its worker dies. Default 60 s. */
  readonly leaseMs?: number;
  /**
   * Every this many claims, expired rows are deleted (500 at most, in the background, outside any
   * delivery's transaction): the claims of this store, and those of `createPostgresStores()`'s
   * transactions (inline mode with `stores`, the inbox worker). 0: never. Default 1000.
   */
  readonly pruneEvery?: number;
}

/** A dedupe store with its lease and TTL, and `prune()` for expired rows. */
export interface PostgresDedupeStore extends DedupeStore {
  readonly leaseMs: number;
  readonly ttlMs: number;
  /** Every this many claims, a batch of expired rows is deleted (0: never). */
  readonly pruneEvery: number;
  /** Deletes every expired lease and done key, in batches; returns how many rows went. */
  prune(): Promise<number>;
}

/**
 * Defaults of {@link createPostgresDedupeStore} (lease and TTL as the memory and Redis stores).
 *
 * @example
 * ```ts
 * createPostgresDedupeStore({ db, leaseMs: 2 * POSTGRES_DEDUPE_DEFAULTS.leaseMs }); // slow handlers
 * ```
 */
export const POSTGRES_DEDUPE_DEFAULTS = Object.freeze({
  ttlMs: MEMORY_DEDUPE_DEFAULTS.ttlMs,
  leaseMs: MEMORY_DEDUPE_DEFAULTS.leaseMs,
  pruneEvery: 1_000,
  pruneBatch: 500,
});

/**
 * A dedupe store in PostgreSQL (a server through `pg`, or embedded PGlite) with the lease
 * semantics of the memory and Redis stores, each operation one atomic statement on the database
 * clock: claim inserts a lease with a random token or takes over an expired row; commit marks the
 * key done for `ttlMs` unless another live lease holds it; only the holder releases or extends.
 * One row per event key in `<schema>.processed_events`; expired rows are reused by the next claim
 * of their key, deleted every `pruneEvery` claims and by `prune()`. Run `migrate(db)` first.
 *
 * @example
 * ```ts
 * const pool = new Pool({ connectionString: process.env.DATABASE_URL });
 * await migrate(pool);
 * const receiver = createReceiver({ secret, dedupe: createPostgresDedupeStore({ db: pool }) });
 * ```
 */
export function createPostgresDedupeStore(options: PostgresDedupeStoreOptions): PostgresDedupeStore {
  const driver = toPostgresDriver(options.db);
  const schema = schemaOption(options.schema);
  const ttlMs = integerOption('ttlMs', options.ttlMs ?? POSTGRES_DEDUPE_DEFAULTS.ttlMs, { unit: 'milliseconds' });
  const leaseMs = timerOption('leaseMs', options.leaseMs ?? POSTGRES_DEDUPE_DEFAULTS.leaseMs);
  const pruneEvery = integerOption('pruneEvery', options.pruneEvery ?? POSTGRES_DEDUPE_DEFAULTS.pruneEvery, { min: 0 });
  const db = explainMissingSchema(driver, schema.name);
  const table = `${schema.sql}.processed_events`;
  const sql = {
    claim: claimSql(table),
    commit: commitSql(table),
    release: releaseSql(table),
    extend: extendSql(table),
    prune: pruneSql(table),
  };
  const { pruneBatch } = POSTGRES_DEDUPE_DEFAULTS;
  const claimed = pruneEveryNthClaim(db, sql.prune, { every: pruneEvery, batch: pruneBatch });
  return {
    async claim(key): Promise<ClaimResult> {
      claimed();
      const token = globalThis.crypto.randomUUID();
      const { rows } = await db.query<ClaimRow>(sql.claim, [key, token, leaseMs, lockName(schema.name, key)]);
      return claimOutcome(rows[0], token);
    },
    commit: async (key, token) => (await db.query(sql.commit, [key, token, ttlMs])).rows.length === 1,
    release: async (key, token) =>
      (await db.query<{ live: boolean }>(sql.release, [key, token])).rows[0]?.live === true,
    extend: async (key, token) => (await db.query(sql.extend, [key, token, leaseMs])).rows.length === 1,
    prune: () => pruneExpired(db, sql.prune, pruneBatch),
    leaseMs,
    ttlMs,
    pruneEvery,
  };
}

interface ClaimRow {
  readonly state: 'lease' | 'done';
  readonly token: string | null;
}

function claimOutcome(row: ClaimRow | undefined, token: string): ClaimResult {
  if (row?.state === 'done') return { outcome: 'done' };
  if (row?.token === token) return { outcome: 'claimed', token };
  return { outcome: 'in_flight' };
}
