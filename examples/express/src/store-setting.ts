// Where the app keeps its state, from DATA_DIR, DATABASE_URL, REDIS_URL and STORE, and how it
// processes deliveries (PROCESSING). At most one of the store variables may be set; anything else
// stops start-up with a message that names the variables (never their credentials).
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, shownUrl } from './config-error.js';

/** Where the state lives: embedded PGlite (the default), a PostgreSQL server, Redis, or memory. */
export type StoreSetting =
  | { readonly kind: 'pglite'; readonly dataDir: string }
  | { readonly kind: 'postgres'; readonly url: string }
  | { readonly kind: 'redis'; readonly url: string }
  | { readonly kind: 'memory' };

/** `inline`: handlers run before the answer; `inbox`: the answer means "stored", workers run them. */
export type Processing = 'inline' | 'inbox';

/** `.data` in the app's folder (examples/express/.data), whatever the working directory. */
export const DEFAULT_DATA_DIR = fileURLToPath(new URL('../.data', import.meta.url));

const STORE_VARIABLES = ['DATA_DIR', 'DATABASE_URL', 'REDIS_URL', 'STORE'] as const;

/**
 * Reads the store variables: none → PGlite in {@link DEFAULT_DATA_DIR}; `DATA_DIR` → PGlite there
 * (relative to the working directory); `DATABASE_URL` → that PostgreSQL server; `REDIS_URL` →
 * Redis; `STORE=memory` → memory (volatile). Two of them at once is a {@link ConfigError} naming
 * both.
 *
 * @example
 * ```ts
 * readStoreSetting({ DATABASE_URL: 'postgres://app@db/app' }); // { kind: 'postgres', url: … }
 * ```
 */
export function readStoreSetting(env: NodeJS.ProcessEnv): StoreSetting {
  const store = env.STORE?.trim();
  if (store && store !== 'memory') {
    throw new ConfigError(
      `STORE must be "memory" (a volatile run) or unset, found ${JSON.stringify(store.slice(0, 40))}. Fix: unset STORE for the embedded database in DATA_DIR, or set DATABASE_URL (PostgreSQL) or REDIS_URL (Redis) instead.`,
    );
  }
  const set = STORE_VARIABLES.filter((name) => env[name]?.trim());
  if (set.length > 1) {
    throw new ConfigError(
      `Conflicting store settings: ${set.join(' and ')} are set together; expected at most one of DATA_DIR (the embedded database, default .data), DATABASE_URL (a PostgreSQL server), REDIS_URL (Redis) or STORE=memory (a volatile run). Fix: unset all but the one you mean.`,
    );
  }
  if (store) return { kind: 'memory' };
  const databaseUrl = readStoreUrl(env, 'DATABASE_URL', ['postgres', 'postgresql']);
  if (databaseUrl) return { kind: 'postgres', url: databaseUrl };
  const redisUrl = readStoreUrl(env, 'REDIS_URL', ['redis', 'rediss']);
  if (redisUrl) return { kind: 'redis', url: redisUrl };
  return { kind: 'pglite', dataDir: resolve(env.DATA_DIR?.trim() || DEFAULT_DATA_DIR) };
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
export function readProcessing(env: NodeJS.ProcessEnv, store: StoreSetting): Processing {
  const raw = env.PROCESSING?.trim() || 'inline';
  if (raw !== 'inline' && raw !== 'inbox') {
    throw new ConfigError(
      `PROCESSING must be "inline" (handlers run before the answer, the default) or "inbox" (durable answer, background workers), found ${JSON.stringify(raw.slice(0, 40))}.`,
    );
  }
  if (raw === 'inbox' && (store.kind === 'redis' || store.kind === 'memory')) {
    throw new ConfigError(
      `Conflicting settings: PROCESSING=inbox and ${store.kind === 'redis' ? 'REDIS_URL' : 'STORE=memory'}; the inbox lives in PostgreSQL. Fix: use the embedded database (unset ${store.kind === 'redis' ? 'REDIS_URL' : 'STORE'}) or DATABASE_URL, or PROCESSING=inline.`,
    );
  }
  return raw;
}

/** An absolute URL with one of `schemes`, or undefined when unset. Credentials never reach a message. */
function readStoreUrl(env: NodeJS.ProcessEnv, name: string, schemes: string[]): string | undefined {
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  let protocol: string | undefined;
  try {
    protocol = new URL(raw).protocol.slice(0, -1);
  } catch {
    // reported below
  }
  if (protocol === undefined || !schemes.includes(protocol)) {
    throw new ConfigError(
      `${name} must be an absolute ${schemes.map((s) => `${s}://`).join(' or ')} URL, found ${shownUrl(raw)}.`,
    );
  }
  return raw;
}
