import { createClient } from 'redis';
import { createRedisDedupeStore, createRedisJobStore } from '@ai-stats-webhooks/redis';
import { describeDedupeStoreContract, describeJobStoreContract } from '@ai-stats-webhooks/testing';
import { startRedisServer, type RedisServer } from '../../../test/helpers/redis-server';

// Three connections, as three app instances have: the concurrent cases race across them.
let server: RedisServer;
const clients: ReturnType<typeof createClient>[] = [];
let next = 0;
const client = () => clients[next++ % clients.length]!;

beforeAll(async () => {
  server = await startRedisServer();
  for (let i = 0; i < 3; i++) {
    const c = createClient({ url: server.url, disableOfflineQueue: true });
    c.on('error', () => undefined);
    await c.connect();
    clients.push(c);
  }
});
afterAll(async () => {
  for (const c of clients) await c.close().catch(() => undefined);
  await server?.stop();
});

// Redis keeps real time: the expiry cases sleep a few hundred ms with short leases.
describeDedupeStoreContract(
  'createRedisDedupeStore',
  ({ namespace, leaseMs, ttlMs }) =>
    createRedisDedupeStore({ client: client(), prefix: `${namespace}:`, leaseMs, ttlMs }),
  { instances: 3 },
);

describeJobStoreContract(
  'createRedisJobStore',
  ({ namespace }) => createRedisJobStore({ client: client(), prefix: `${namespace}:` }),
  { instances: 3 },
);
