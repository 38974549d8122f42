import { createClient } from 'redis';
import type { DedupeStore, JobStore } from '@ai-stats-webhooks/core';
import { createRedisDedupeStore, createRedisJobStore } from '@ai-stats-webhooks/redis';
import type { EventRecord } from './app.js';

/** The processed-event log behind GET /api/events. */
export interface EventLog {
  append(record: EventRecord): Promise<void>;
  list(): Promise<EventRecord[]>;
}

export interface Stores {
  dedupe?: DedupeStore;
  jobs?: JobStore;
  events: EventLog;
  close(): Promise<void>;
}

/** Memory stores for one instance (the receiver's defaults), or Redis when REDIS_URL is set. */
export async function createStores(redisUrl: string | undefined, options: { leaseMs?: number } = {}): Promise<Stores> {
  if (!redisUrl) {
    const events: EventRecord[] = [];
    return {
      events: { append: async (record) => void events.push(record), list: async () => events },
      close: async () => undefined,
    };
  }
  // Commands fail at once while Redis is down (the receiver answers 503) instead of queueing.
  const client = createClient({
    url: redisUrl,
    disableOfflineQueue: true,
    socket: { reconnectStrategy: (retries) => Math.min(1000, 50 * 2 ** retries) },
  });
  // Without a listener a connection error would crash the process.
  client.on('error', (error: Error) => console.error(`redis: ${error.message}`));
  await client.connect();
  const key = 'ai-stats-webhooks:events';
  return {
    dedupe: createRedisDedupeStore({ client, ...(options.leaseMs ? { leaseMs: options.leaseMs } : {}) }),
    jobs: createRedisJobStore({ client }),
    events: {
      append: async (record) => void (await client.sendCommand(['RPUSH', key, JSON.stringify(record)])),
      list: async () =>
        ((await client.sendCommand(['LRANGE', key, '0', '-1'])) as string[]).map(
          (raw) => JSON.parse(raw) as EventRecord,
        ),
    },
    close: async () => void (await client.close().catch(() => undefined)),
  };
}
