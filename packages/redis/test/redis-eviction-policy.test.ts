import { createRedisDedupeStore, createRedisJobStore, type RedisCommandClient } from '@ai-stats-webhooks/redis';
import type { RedisServer } from '../../../test/helpers/redis-server';
import { connectRedis, disconnectRedis, type RedisClient } from './helpers/connect-redis';

let server: RedisServer;
let redis: RedisClient;

beforeAll(async () => void ({ server, client: redis } = await connectRedis()));
afterAll(() => disconnectRedis(server, redis));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function recordingLogger() {
  const warnings: { message: string; fields: Record<string, unknown> | undefined }[] = [];
  return {
    warnings,
    logger: { warn: (message: string, fields?: Record<string, unknown>) => void warnings.push({ message, fields }) },
  };
}

// A Redis that evicts keys breaks exactly-once (an evicted done-key runs handlers again) and the
// job state (an evicted job starts afresh): the stores say so once, as BullMQ does.
describe('the Redis stores and the eviction policy', () => {
  afterEach(() => redis.sendCommand(['CONFIG', 'SET', 'maxmemory-policy', 'noeviction']));

  it('warn once per store, with the fix, when Redis may evict their keys', async () => {
    await redis.sendCommand(['CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lru']);
    const { warnings, logger } = recordingLogger();
    const dedupe = createRedisDedupeStore({ client: redis, prefix: 'evict:', logger });
    const jobs = createRedisJobStore({ client: redis, prefix: 'evict:', logger });
    for (let i = 0; i < 3; i++) await dedupe.claim(`evt_${i}`);
    await jobs.get('G-1');
    await sleep(50);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]!.message).toMatch(/Expected maxmemory-policy noeviction, found allkeys-lru\. Fix: CONFIG SET/);
    expect(warnings[0]!.fields).toEqual({ maxmemoryPolicy: 'allkeys-lru' });
  });

  it('say nothing with noeviction (the default)', async () => {
    const { warnings, logger } = recordingLogger();
    const dedupe = createRedisDedupeStore({ client: redis, prefix: 'noevict:', logger });
    await dedupe.claim('evt_1');
    await sleep(50);
    expect(warnings).toEqual([]);
  });

  it('ask again after Redis could not answer, and never fail a command over it', async () => {
    await redis.sendCommand(['CONFIG', 'SET', 'maxmemory-policy', 'volatile-lru']);
    let infoFails = true;
    const client: RedisCommandClient = {
      sendCommand: (args) =>
        args[0] === 'INFO' && infoFails ? Promise.reject(new Error('ERR unknown command')) : redis.sendCommand(args),
    };
    const { warnings, logger } = recordingLogger();
    const dedupe = createRedisDedupeStore({ client, prefix: 'evictlater:', logger });
    expect((await dedupe.claim('evt_1')).outcome).toBe('claimed');
    await sleep(20);
    expect(warnings).toEqual([]);
    infoFails = false;
    await dedupe.claim('evt_2');
    await sleep(50);
    expect(warnings.map((w) => w.fields)).toEqual([{ maxmemoryPolicy: 'volatile-lru' }]);
  });
});
