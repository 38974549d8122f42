import { createClient } from 'redis';
import { redactCredentials, type DedupeStore, type JobStore } from '@ai-stats-webhooks/core';
import { createRedisDedupeStore, createRedisJobStore } from '@ai-stats-webhooks/redis';
import { createMemoryEventLog, EVENT_LOG_DEFAULTS, type EventLog, type EventRecord } from './event-log.js';

/** The stores of the app; `dedupe` and `jobs` unset: the receiver's memory stores. */
export interface Stores {
  dedupe?: DedupeStore;
  jobs?: JobStore;
  events: EventLog;
  close(): Promise<void>;
}

/** How long start-up waits for Redis before giving up (the client would otherwise retry forever). */
export const REDIS_CONNECT_TIMEOUT_MS = 5_000;

/** Memory stores for one instance (the receiver's defaults), or Redis when REDIS_URL is set. */
export async function createStores(redisUrl: string | undefined, options: { leaseMs?: number } = {}): Promise<Stores> {
  if (!redisUrl) return { events: createMemoryEventLog(), close: async () => undefined };
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
