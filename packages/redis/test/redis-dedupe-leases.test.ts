import { createClient } from 'redis';
import { createRedisDedupeStore, type RedisCommandClient } from '@ai-stats-webhooks/redis';
import { startRedisServer, type RedisServer } from '../../../test/helpers/redis-server';

let server: RedisServer;
let redis: ReturnType<typeof createClient>;

beforeAll(async () => {
  server = await startRedisServer();
  redis = createClient({ url: server.url, disableOfflineQueue: true });
  redis.on('error', () => undefined);
  await redis.connect();
});
afterAll(async () => {
  await redis.close().catch(() => undefined);
  await server.stop();
});

let n = 0;
const key = () => `evt_lease_${Date.now()}_${++n}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('createRedisDedupeStore leases', () => {
  it('commits when its lease expired and nobody claimed since; refuses only another live lease', async () => {
    const store = createRedisDedupeStore({ client: redis, leaseMs: 100 });
    const k = key();
    const slow = (await store.claim(k)) as { token: string };
    await sleep(200); // the handler outlived its lease, and no other copy arrived
    expect(await store.commit(k, slow.token)).toBe(true);
    expect(await store.claim(k)).toEqual({ outcome: 'done' });

    const k2 = key();
    const stale = (await store.claim(k2)) as { token: string };
    await sleep(200);
    const other = (await store.claim(k2)) as { outcome: string; token: string };
    expect(other.outcome).toBe('claimed');
    expect(await store.commit(k2, stale.token)).toBe(false);
    expect(await store.commit(k2, other.token)).toBe(true);
  });

  it('extends a lease for its holder only', async () => {
    const store = createRedisDedupeStore({ client: redis, leaseMs: 300 });
    const k = key();
    const held = (await store.claim(k)) as { token: string };
    await sleep(200);
    expect(await store.extend!(k, held.token)).toBe(true);
    expect(await store.extend!(k, 'lease:someone-else')).toBe(false);
    await sleep(200); // 400 ms after the claim, 200 after the renewal
    expect(await store.claim(k)).toEqual({ outcome: 'in_flight' });
    expect(store).toMatchObject({ leaseMs: 300, ttlMs: 24 * 3600_000 });
  });

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
