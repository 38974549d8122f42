// What one inbox acknowledgement costs (not a test; prints a table). From packages/postgres:
//   node -r ./test/helpers/register-ts.cjs -e "require('./test/helpers/measure-ack-cost.ts')"
// `inbox.enqueue()` alone (no receiver), 50 at a time, with fsync + synchronous_commit on and
// off, pools of 10 and 50, one INSERT per delivery (maxBatch 1) and group commit (maxBatch 100):
// deliveries per second, and the CPU each one cost this process (node-postgres) and the
// PostgreSQL server (every backend, from /proc). It showed what bounded the acknowledgement: the
// CPU of one statement per delivery, with fsync making little difference.
import { readFileSync } from 'node:fs';
import { Pool } from 'pg';
import type { InboxEntry } from '@ai-stats-webhooks/core';
import { createPostgresInbox, migrate } from '@ai-stats-webhooks/postgres';
import { processTreeCpuUs } from '../../../../bench/src/process-tree-cpu';
import { startPostgresServer } from '../../../../test/helpers/postgres-server';

const IN_FLIGHT = 50;
const BODY = JSON.stringify({ note: 'x'.repeat(4_400) });
let n = 0;

function entry(): InboxEntry {
  const eventId = `evt_video_G-COST${String(++n).padStart(20, '0')}_video_progress_50`;
  return {
    eventId,
    dedupeKey: eventId,
    type: 'video.progress',
    jobId: `G-COST${n}`,
    attempt: 1,
    prefix: 'phaseo',
    legacy: false,
    body: BODY,
    receivedAt: new Date(),
  };
}

// Rate and CPU per operation of `count` calls of `op`, IN_FLIGHT at a time.
async function cost(op: () => Promise<unknown>, count: number, serverPid: number): Promise<string> {
  let started = 0;
  const t0 = performance.now();
  const cpu = process.cpuUsage();
  const server = processTreeCpuUs(serverPid);
  const lane = async () => {
    while (started++ < count) await op();
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
  const seconds = (performance.now() - t0) / 1000;
  const own = process.cpuUsage(cpu);
  const serverUs = (processTreeCpuUs(serverPid) - server) / count;
  return `${(count / seconds).toFixed(0).padStart(6)}/s  node ${((own.user + own.system) / count).toFixed(0)} µs  postgres ${serverUs.toFixed(0)} µs`;
}

async function main(): Promise<void> {
  for (const durable of [true, false]) {
    const server = await startPostgresServer({ durable });
    const pid = Number(readFileSync(`${server.dataDir}/postmaster.pid`, 'utf8').split('\n')[0]);
    for (const [max, maxBatch] of [
      [10, 1],
      [50, 1],
      [10, 100],
      [50, 100],
    ] as const) {
      const pool = new Pool({ connectionString: server.url, max });
      pool.on('error', () => undefined);
      const schema = `cost_${max}_${maxBatch}`;
      await migrate(pool, { schema });
      const inbox = createPostgresInbox({ db: pool, schema, maxBatch });
      await cost(() => inbox.enqueue(entry()), 500, pid); // warm-up: connections, JIT
      const line = await cost(() => inbox.enqueue(entry()), 5_000, pid);
      console.log(
        `fsync ${durable ? 'on ' : 'off'}  pool ${String(max).padEnd(2)}  maxBatch ${String(maxBatch).padEnd(3)}  ${line}`,
      );
      await pool.end();
    }
    await server.destroy();
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
