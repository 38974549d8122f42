import { createClient } from 'redis';
import { startRedisServer, type RedisServer } from '../../../../test/helpers/redis-server';

export type RedisClient = ReturnType<typeof createClient>;

/** A redis-server of the test file's own and one client on it that fails at once while it is down. */
export async function connectRedis(): Promise<{ server: RedisServer; client: RedisClient }> {
  const server = await startRedisServer();
  const client = createClient({ url: server.url, disableOfflineQueue: true });
  client.on('error', () => undefined);
  await client.connect();
  return { server, client };
}

/** Closes what {@link connectRedis} opened (either may be missing when beforeAll failed). */
export async function disconnectRedis(server: RedisServer | undefined, client: RedisClient | undefined): Promise<void> {
  await client?.close().catch(() => undefined);
  await server?.stop();
}
