// Where the app keeps its state, from DATA_DIR, DATABASE_URL and STORE, and how it processes
// deliveries (PROCESSING). At most one of the store variables may be set; anything else stops the
// server at start-up with a message that names the variables (never their credentials).
import { resolve } from 'node:path';
import { shownUrl } from './shown-url';

/** Where the state lives: embedded PGlite (the default), a PostgreSQL server, or memory. */
export type StoreSetting =
  | { readonly kind: 'pglite'; readonly dataDir: string }
  | { readonly kind: 'postgres'; readonly url: string }
  | { readonly kind: 'memory' };

/** `inline`: handlers run before the answer; `inbox`: the answer means "stored", workers run them. */
export type Processing = 'inline' | 'inbox';

/** `.data` in the app's folder, the directory `next start` runs in. */
export const DEFAULT_DATA_DIR = '.data';

const STORE_VARIABLES = ['DATA_DIR', 'DATABASE_URL', 'STORE'] as const;

/**
 * Reads the store variables: none → PGlite in `.data`; `DATA_DIR` → PGlite there; `DATABASE_URL`
 * → that PostgreSQL server; `STORE=memory` → memory (volatile). Two of them at once, or
 * `REDIS_URL` (this example has no Redis stores), throws an error naming them.
 *
 * @example
 * ```ts
 * readStoreSetting({ DATABASE_URL: 'postgres://app@db/app' }); // { kind: 'postgres', url: … }
 * ```
 */
export function readStoreSetting(env: Record<string, string | undefined>): StoreSetting {
  if (env.REDIS_URL?.trim()) {
    throw new Error(
      'REDIS_URL is not supported by the Next.js example: expected DATABASE_URL (a PostgreSQL server) for state shared by several instances, or no store setting (the embedded database in DATA_DIR). Fix: unset REDIS_URL; examples/express shows the Redis stores.',
    );
  }
  const store = env.STORE?.trim();
  if (store && store !== 'memory') {
    throw new Error(
      `STORE must be "memory" (a volatile run) or unset, found ${JSON.stringify(store.slice(0, 40))}. Fix: unset STORE for the embedded database in DATA_DIR, or set DATABASE_URL (PostgreSQL) instead.`,
    );
  }
  const set = STORE_VARIABLES.filter((name) => env[name]?.trim());
  if (set.length > 1) {
    throw new Error(
      `Conflicting store settings: ${set.join(' and ')} are set together; expected at most one of DATA_DIR (the embedded database, default .data), DATABASE_URL (a PostgreSQL server) or STORE=memory (a volatile run). Fix: unset all but the one you mean.`,
    );
  }
  if (store) return { kind: 'memory' };
  const databaseUrl = env.DATABASE_URL?.trim();
  if (databaseUrl) return { kind: 'postgres', url: checkDatabaseUrl(databaseUrl) };
  // A path chosen at run time: the comment keeps Next's file tracing from including the project.
  return { kind: 'pglite', dataDir: resolve(/*turbopackIgnore: true*/ env.DATA_DIR?.trim() || DEFAULT_DATA_DIR) };
}

/**
 * Reads `PROCESSING` (`inline`, the default, or `inbox`). Inbox mode keeps the deliveries in
 * PostgreSQL, so it needs the embedded database or `DATABASE_URL`.
 *
 * @example
 * ```ts
 * readProcessing({ PROCESSING: 'inbox' }, { kind: 'pglite', dataDir }); // 'inbox'
 * ```
 */
export function readProcessing(env: Record<string, string | undefined>, store: StoreSetting): Processing {
  const raw = env.PROCESSING?.trim() || 'inline';
  if (raw !== 'inline' && raw !== 'inbox') {
    throw new Error(
      `PROCESSING must be "inline" (handlers run before the answer, the default) or "inbox" (durable answer, background workers), found ${JSON.stringify(raw.slice(0, 40))}.`,
    );
  }
  if (raw === 'inbox' && store.kind === 'memory') {
    throw new Error(
      'Conflicting settings: PROCESSING=inbox and STORE=memory; the inbox lives in PostgreSQL. Fix: unset STORE (the embedded database) or set DATABASE_URL, or PROCESSING=inline.',
    );
  }
  return raw;
}

function checkDatabaseUrl(raw: string): string {
  let protocol: string | undefined;
  try {
    protocol = new URL(raw).protocol;
  } catch {
    // reported below
  }
  if (protocol === 'postgres:' || protocol === 'postgresql:') return raw;
  throw new Error(`DATABASE_URL must be an absolute postgres:// or postgresql:// URL, found ${shownUrl(raw)}.`);
}
