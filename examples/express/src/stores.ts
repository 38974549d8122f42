import { createClient } from 'redis';
import { redactCredentials, type DedupeStore, type JobStore, type TransactionalStores } from '@ai-stats-webhooks/core';
import type { PostgresInbox } from '@ai-stats-webhooks/postgres';
import { createRedisDedupeStore, createRedisJobStore } from '@ai-stats-webhooks/redis';
import { createMemoryEventLog, EVENT_LOG_DEFAULTS, type EventLog, type EventRecord } from './event-log.js';
import { openPGliteStores, openPostgresStores } from './postgres-stores.js';
import type { StoreSetting } from './store-setting.js';

/**
 * The stores of the app: `transactional` and `inbox` (PGlite, PostgreSQL: the receiver's `stores`,
 * and its `inbox` with PROCESSING=inbox), or `dedupe` and `jobs` (Redis), or none of them (the
 * receiver's memory stores).
 */
export interface Stores {
  /** For the start-up line: where the state lives (credentials removed). */
  description: string;
  transactional?: TransactionalStores;
  /** Where inbox mode acknowledges deliveries (in the same database as `transactional`). */
  inbox?: PostgresInbox;
  dedupe?: DedupeStore;
  jobs?: JobStore;
  events: EventLog;
  close(): Promise<void>;
}

/** How long start-up waits for Redis before giving up (the client would otherwise retry forever). */
export const REDIS_CONNECT_TIMEOUT_MS = 5_000;

/**
 * Opens the stores `setting` names (see `readStoreSetting`): PGlite in DATA_DIR, a PostgreSQL
 * server, Redis or memory. A string is a Redis URL and `undefined` memory, as `createStores`
 * took them before the embedded default. `leaseMs` is the Redis dedupe lease.
 *
 * @example
 * ```ts
 * const stores = await createStores(readConfig().store);
 * ```
 */
export async function createStores(
  setting: StoreSetting | string | undefined,
  options: { leaseMs?: number } = {},
): Promise<Stores> {
  if (typeof setting === 'string') return createRedisStores(setting, options);
  if (setting?.kind === 'pglite') return openPGliteStores(setting.dataDir);
  if (setting?.kind === 'postgres') return openPostgresStores(setting.url);
  if (setting?.kind === 'redis') return createRedisStores(setting.url, options);
  return { description: 'memory (lost at exit)', events: createMemoryEventLog(), close: async () => undefined };
}

async function createRedisStores(redisUrl: string, options: { leaseMs?: number }): Promise<Stores> {
  // Commands fail at once while Redis is down (the receiver answers 503) instead of queueing.
  const client = createClient({
    url: redisUrl,
    disableOfflineQueue: true,
    socket: { reconnectStrategy: (retries) => Math.min(1000, 50 * 2 ** retries) },
  });
  // Without a listener a connection error would crash the process.
  client.on('error', (error: Error) => console.error(redactCredentials(`redis: ${error.message}`)));
  await connectWithin(client, REDIS_CONNECT_TIMEOUT_MS);
  return {
    description: `Redis at ${redactCredentials(redisUrl)}`,
    dedupe: createRedisDedupeStore({ client, ...(options.leaseMs ? { leaseMs: options.leaseMs } : {}) }),
    jobs: createRedisJobStore({ client }),
    events: createRedisEventLog(client),
    close: async () => void (await client.close().catch(() => undefined)),
  };
}

/** The event log in one Redis list shared by every instance, trimmed to the last 10,000 events. */
function createRedisEventLog(client: ReturnType<typeof createClient>, max = EVENT_LOG_DEFAULTS.maxEntries): EventLog {
  const key = 'ai-stats-webhooks:events';
  return {
    append: async (record) =>
      void (await client.multi().rPush(key, JSON.stringify(record)).lTrim(key, -max, -1).exec()),
    list: async () => (await client.lRange(key, 0, -1)).map((raw) => JSON.parse(raw) as EventRecord),
  };
}

/** Connects, or throws (and stops the client) when Redis has not answered within `timeoutMs`. */
async function connectWithin(client: ReturnType<typeof createClient>, timeoutMs: number): Promise<void> {
  let lastError = 'no answer';
  const onError = (error: Error) => void (lastError = error.message);
  client.on('error', onError);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no connection within ${timeoutMs} ms (${lastError})`)), timeoutMs);
  });
  try {
    await Promise.race([client.connect(), timeout]);
  } catch (error) {
    client.destroy();
    throw error;
  } finally {
    clearTimeout(timer);
    client.off('error', onError);
  }
}
