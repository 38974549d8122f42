import { createRedisDedupeStore, type RedisCommandClient } from '@ai-stats-webhooks/redis';
import type { RedisServer } from '../../../test/helpers/redis-server';
import { connectRedis, disconnectRedis, type RedisClient } from './helpers/connect-redis';

let server: RedisServer;
let redis: RedisClient;

beforeAll(async () => void ({ server, client: redis } = await connectRedis()));
afterAll(() => disconnectRedis(server, redis));

let n = 0;
const key = () => `evt_script_${Date.now()}_${++n}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One FIFO, as one connection: `slowNext()` answers the next command 300 ms late; `sent` logs them. */
function slowClient() {
  let chain: Promise<unknown> = Promise.resolve();
  let slow = false;
  const sent: string[] = [];
  const client: RedisCommandClient = {
    sendCommand(args) {
      sent.push(args[0]!);
      const delay = slow ? 300 : 0;
      slow = false;
      const result = chain.then(async () => {
        await sleep(delay);
        return redis.sendCommand(args);
      });
      chain = result.catch(() => undefined);
      return result;
    },
  };
  return { client, sent, slowNext: () => void (slow = true) };
}

describe('Redis scripts', () => {
  it('a first COMMIT whose answer times out still commits (no separate SCRIPT LOAD to lose)', async () => {
    const { client, slowNext } = slowClient();
    const store = createRedisDedupeStore({ client, commandTimeoutMs: 100, leaseMs: 60_000 });
    const k = key();
    const claim = await store.claim(k);
    if (claim.outcome !== 'claimed') throw new Error(`Expected a claim, found ${claim.outcome}`);
    slowNext();
    await expect(store.commit(k, claim.token)).rejects.toThrow(/did not answer/);
    await sleep(400); // Redis ran the late command
    expect(await redis.sendCommand(['GET', `ai-stats-webhooks:dedupe:${k}`])).toBe('done');
    expect((await store.claim(k)).outcome).toBe('done');
  });

  it('sends EVAL on first use, then EVALSHA, and never SCRIPT LOAD', async () => {
    const { client, sent } = slowClient();
    const store = createRedisDedupeStore({ client });
    for (let i = 0; i < 3; i++) await store.claim(key());
    expect(sent.filter((name) => name !== 'INFO')).toEqual(['EVAL', 'EVALSHA', 'EVALSHA']); // INFO: the eviction check
  });

  it('runs the script again after Redis forgot it (SCRIPT FLUSH, a restart)', async () => {
    const { client, sent } = slowClient();
    const store = createRedisDedupeStore({ client });
    await store.claim(key());
    await redis.sendCommand(['SCRIPT', 'FLUSH']);
    const k = key();
    expect((await store.claim(k)).outcome).toBe('claimed');
    expect((await store.claim(k)).outcome).toBe('in_flight');
    expect(sent.filter((name) => name !== 'INFO')).toEqual(['EVAL', 'EVALSHA', 'EVAL', 'EVALSHA']);
  });
});
