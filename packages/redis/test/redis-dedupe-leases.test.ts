import { createRedisDedupeStore, type RedisCommandClient } from '@ai-stats-webhooks/redis';
import type { RedisServer } from '../../../test/helpers/redis-server';
import { connectRedis, disconnectRedis, type RedisClient } from './helpers/connect-redis';

let server: RedisServer;
let redis: RedisClient;

beforeAll(async () => void ({ server, client: redis } = await connectRedis()));
afterAll(() => disconnectRedis(server, redis));

let n = 0;
const key = () => `evt_lease_${Date.now()}_${++n}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// Commit after expiry, stale holders and extend are contract cases (store-contracts.test.ts).
describe('createRedisDedupeStore leases', () => {
  it('releases a claim whose answer timed out, so the next attempt is not met with 409', async () => {
    // Every command goes through one FIFO, as on one connection; the first claim is answered late.
    let chain: Promise<unknown> = Promise.resolve();
    let delayNextClaim = false;
    const slow: RedisCommandClient = {
      sendCommand(args) {
        const delay = delayNextClaim && args[0] === 'EVALSHA' ? 300 : 0;
        if (delay) delayNextClaim = false;
        const result = chain.then(async () => {
          await sleep(delay);
          return redis.sendCommand(args);
        });
        chain = result.catch(() => undefined);
        return result;
      },
    };
    const store = createRedisDedupeStore({ client: slow, commandTimeoutMs: 100, leaseMs: 60_000 });
    const k = key();
    await store.claim(`warm_${k}`); // loads the script, so the next EVALSHA is the claim
    delayNextClaim = true;
    await expect(store.claim(k)).rejects.toThrow(/did not answer/);
    await sleep(400); // the late claim ran, then the release queued behind it
    expect((await store.claim(k)).outcome).toBe('claimed');
  });
});
