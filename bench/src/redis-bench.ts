import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { createClient } from 'redis';
import { createRedisDedupeStore } from '@ai-stats-webhooks/redis';

export interface RedisResult {
  mode: string;
  claimsPerSecond: number;
  /** claim + commit pairs per second */
  eventsPerSecond: number;
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

/** Claims per second against a local redis-server: one at a time, and 100 in flight (pipelined). */
export async function redisBench(quick: boolean): Promise<RedisResult[] | string> {
  const bin = process.env.REDIS_SERVER_PATH ?? '/usr/bin/redis-server';
  if (!existsSync(bin)) return `skipped: no redis-server at ${bin} (apt-get install -y redis-server)`;
  const port = await freePort();
  const server = spawn(bin, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  const client = createClient({ url: `redis://127.0.0.1:${port}`, disableOfflineQueue: true });
  client.on('error', () => undefined);
  for (let i = 0; i < 100; i++) {
    try {
      await client.connect();
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  try {
    const store = createRedisDedupeStore({ client, prefix: 'bench:' });
    const total = quick ? 20_000 : 100_000;
    const results: RedisResult[] = [];
    let n = 0;
    for (const inFlight of [1, 100]) {
      const start = process.hrtime.bigint();
      let claims = 0;
      let events = 0;
      const worker = async () => {
        while (claims < total) {
          claims++;
          const key = `evt_video_G-BENCH${++n}_video_progress_50`;
          const claim = await store.claim(key);
          if (claim.outcome === 'claimed') {
            await store.commit(key, claim.token);
            events++;
          }
        }
      };
      await Promise.all(Array.from({ length: inFlight }, worker));
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      results.push({
        mode: inFlight === 1 ? 'sequential (1 in flight)' : 'pipelined (100 in flight)',
        claimsPerSecond: claims / seconds,
        eventsPerSecond: events / seconds,
      });
    }
    return results;
  } finally {
    await client.close().catch(() => undefined);
    server.kill('SIGKILL');
  }
}
