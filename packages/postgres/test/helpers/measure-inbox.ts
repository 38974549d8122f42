// Inbox-mode figures on this machine (not a test; prints a table). From packages/postgres:
//   node -r ./test/helpers/register-ts.cjs -e "require('./test/helpers/measure-inbox.ts')"
// acks/s: receiver.handle() in process (no HTTP), 50 deliveries at a time, against the memory
// inline pipeline in the same run; drain: one worker at concurrency 1 and 4. PostgreSQL runs with
// fsync and synchronous_commit on (durable: an ack waits for the WAL flush); MEASURE_FSYNC=off
// turns them off, to see what the flush costs.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { createReceiver, type Receiver } from '@ai-stats-webhooks/core';
import {
  createInboxWorker,
  createPostgresInbox,
  createPostgresStores,
  migrate,
  type PostgresDatabase,
} from '@ai-stats-webhooks/postgres';
import { SECRET, sign } from '../../../../test/helpers/deliveries';
import { startPostgresServer } from '../../../../test/helpers/postgres-server';
import { videoDeliveries } from './inbox-setup';

const CONNECTIONS = 50;

type Request = { method: string; headers: Record<string, string>; rawBody: string };

function requests(count: number, prefix: string): Request[] {
  return videoDeliveries(Math.ceil(count / 4), 4, prefix)
    .slice(0, count)
    .map((d) => {
      const signed = sign(d);
      return { method: 'POST', headers: signed.headers, rawBody: signed.body };
    });
}

// Deliveries per second through `receiver`, `CONNECTIONS` at a time.
async function ackRate(receiver: Receiver, batch: Request[]): Promise<number> {
  let next = 0;
  const started = performance.now();
  const lane = async () => {
    while (next < batch.length) {
      const response = await receiver.handle(batch[next++]!);
      if (response.status !== 200) throw new Error(`answer ${response.status}: ${response.body}`);
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, lane));
  return batch.length / ((performance.now() - started) / 1000);
}

async function inboxReceiver(db: PostgresDatabase, schema: string): Promise<Receiver> {
  await migrate(db, { schema });
  const stores = createPostgresStores({ db, schema });
  return createReceiver({ secret: SECRET, logger: {}, stores, inbox: createPostgresInbox({ db, schema }) });
}

async function drainRate(db: PostgresDatabase, schema: string, concurrency: number, count: number): Promise<number> {
  const receiver = await inboxReceiver(db, schema);
  receiver.onAny(() => undefined);
  for (const request of requests(count, `G-DRAIN${concurrency}X`)) await receiver.handle(request);
  const worker = createInboxWorker({ receiver, concurrency, logger: {} });
  const started = performance.now();
  const result = await worker.drain({ timeoutMs: 300_000 });
  if (result.processed !== count) throw new Error(`processed ${result.processed} of ${count}`);
  return count / ((performance.now() - started) / 1000);
}

async function main(): Promise<void> {
  const rows: [string, string][] = [];
  const memory = createReceiver({ secret: SECRET, logger: {} });
  await ackRate(memory, requests(500, 'G-WARM')); // warm-up
  const memoryRate = await ackRate(memory, requests(5_000, 'G-MEM'));
  rows.push(['inline, memory stores: acks/s', memoryRate.toFixed(0)]);

  const durable = process.env.MEASURE_FSYNC !== 'off';
  const server = await startPostgresServer({ durable });
  const pool = new Pool({ connectionString: server.url, max: CONNECTIONS });
  pool.on('error', () => undefined); // connections the server ends at the end
  try {
    const pgReceiver = await inboxReceiver(pool, 'measure_acks');
    await ackRate(pgReceiver, requests(500, 'G-PGWARM'));
    const pgRate = await ackRate(pgReceiver, requests(5_000, 'G-PG'));
    rows.push([
      `inbox on pg (fsync ${durable ? 'on' : 'off'}): acks/s`,
      `${pgRate.toFixed(0)} (${(pgRate / memoryRate).toFixed(2)}x memory)`,
    ]);
    for (const concurrency of [1, 4]) {
      const rate = await drainRate(pool, `measure_drain_${concurrency}`, concurrency, 2_000);
      rows.push([`pg drain, 1 worker, concurrency ${concurrency}: events/s`, rate.toFixed(0)]);
    }
  } finally {
    await pool.end();
    await server.destroy();
  }

  const dir = mkdtempSync(join(tmpdir(), 'measure-pglite-'));
  const { PGlite } = await import('@electric-sql/pglite');
  const pglite = await PGlite.create(dir);
  try {
    const liteReceiver = await inboxReceiver(pglite, 'measure_acks');
    const liteRate = await ackRate(liteReceiver, requests(2_000, 'G-LITE'));
    rows.push([
      'inbox on PGlite (data dir): acks/s',
      `${liteRate.toFixed(0)} (${(liteRate / memoryRate).toFixed(2)}x memory)`,
    ]);
    rows.push([
      'PGlite drain, concurrency 4: events/s',
      (await drainRate(pglite, 'measure_drain', 4, 1_000)).toFixed(0),
    ]);
  } finally {
    await pglite.close();
    rmSync(dir, { recursive: true, force: true });
  }
  for (const [name, value] of rows) console.log(`${name.padEnd(46)} ${value}`);
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
