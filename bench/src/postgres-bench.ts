// The PostgreSQL section: inline processing on PostgreSQL and PGlite against the memory stores,
// inbox acknowledgements at 50 in flight against the memory inline pipeline, the worker's drain
// rate, and the bytes a processed event leaves in PostgreSQL. The server is a real one of its own
// (initdb into a temp folder, 127.0.0.1 only, fsync and synchronous_commit on as in production);
// PGlite keeps its data in a temp folder.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { createReceiver, type Receiver } from '@ai-stats-webhooks/core';
import {
  createInboxWorker,
  createPostgresInbox,
  createPostgresStores,
  migrate,
  type PostgresDatabase,
} from '@ai-stats-webhooks/postgres';
import { compare, median, type CaseResult } from './harness.js';
import { SECRET, progressBody, signedHeaders } from './deliveries.js';
import { freePort } from './free-port.js';
import { httpAckRows, type HttpAckRow } from './postgres-http.js';

/** Deliveries in flight in the acknowledgement rows (the "50 connections"). */
export const IN_FLIGHT = 50;

/** One acknowledgement row: deliveries per second at 50 in flight, and its ratio to memory inline. */
export interface AckRow {
  name: string;
  perSecond: number;
  ratio: number;
  ratioMin: number;
  ratioMax: number;
  rounds: number[];
}

export interface PostgresBenchResult {
  server: string;
  /** False in a quick run, which leaves PGlite out. */
  pglite: boolean;
  inline: CaseResult[];
  /** Through HTTP (Express, autocannon at 50 connections). */
  http: HttpAckRow[];
  /** In process: `receiver.handle()` with 50 in flight. */
  acks: AckRow[];
  drain: { database: string; concurrency: number; events: number; perSecond: number }[];
  bytes: { events: number; tables: { table: string; bytes: number }[] };
}

interface Server {
  url: string;
  /** The postmaster's: its process tree is every backend. */
  pid: number;
  close(): Promise<void>;
}

type Request = { method: string; headers: Record<string, string>; rawBody: Buffer };

let delivered = 0;
/** `count` signed video.progress deliveries (4.4 KB), each with an event id and job id never used before. */
function deliveries(count: number): Request[] {
  const timestamp = String(Math.floor(Date.now() / 1000));
  return Array.from({ length: count }, () => {
    const body = structuredClone(progressBody);
    const jobId = `G-PGBENCH${String(++delivered).padStart(18, '0')}`;
    body.data.id = jobId;
    body.data.request_id = jobId;
    body.id = `evt_video_${jobId}_video_progress_50`;
    const raw = Buffer.from(JSON.stringify(body));
    const headers = signedHeaders(timestamp, raw, { 'x-phaseo-event-id': body.id });
    return { method: 'POST', headers, rawBody: raw };
  });
}

// The newest /usr/lib/postgresql/<version>/bin with a `postgres`, or POSTGRES_BIN_DIR.
function postgresBin(): string | undefined {
  const fromEnv = process.env.POSTGRES_BIN_DIR;
  if (fromEnv) return existsSync(join(fromEnv, 'postgres')) ? fromEnv : undefined;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const version = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'postgres')))
    .sort((a, b) => Number(b) - Number(a))[0];
  return version === undefined ? undefined : join(root, version, 'bin');
}

// PostgreSQL refuses to run as root: as root, initdb and the server run as the `postgres` user.
function serverUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

/** A durable PostgreSQL server of its own on 127.0.0.1 (default settings: fsync, synchronous_commit on). */
async function startServer(bin: string): Promise<Server> {
  const user = serverUser();
  const root = mkdtempSync(join(tmpdir(), 'bench-postgres-'));
  const data = join(root, 'data');
  mkdirSync(data, { mode: 0o700 });
  if (user) for (const dir of [root, data]) chownSync(dir, user.uid, user.gid);
  const init = spawnSync(
    join(bin, 'initdb'),
    ['-D', data, '-U', 'postgres', '-A', 'trust', '--locale=C', '-E', 'UTF8', '--no-sync'],
    {
      encoding: 'utf8',
      ...user,
    },
  );
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr}`);
  const port = await freePort();
  const settings = ['listen_addresses=127.0.0.1', `port=${port}`, `unix_socket_directories=${root}`];
  const child = spawn(join(bin, 'postgres'), ['-D', data, ...settings.flatMap((s) => ['-c', s])], {
    stdio: 'ignore',
    ...user,
  });
  const ready = () => spawnSync(join(bin, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port)]).status === 0;
  for (let i = 0; i < 300 && !ready(); i++) await new Promise((r) => setTimeout(r, 100));
  const close = async () => {
    // Immediate shutdown (no checkpoint): the data is thrown away.
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGQUIT');
    await exited;
    rmSync(root, { recursive: true, force: true });
  };
  if (!ready()) {
    await close();
    throw new Error(`PostgreSQL did not start on port ${port}`);
  }
  return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, pid: child.pid!, close };
}

let schemas = 0;
/** A receiver on `db` in a schema of its own: inline (stores only) or inbox mode (`maxBatch` given). */
async function receiverIn(db: PostgresDatabase, mode: 'inline' | { maxBatch: number }) {
  const schema = `bench_${++schemas}`;
  await migrate(db, { schema });
  const stores = createPostgresStores({ db, schema });
  const inbox = mode === 'inline' ? undefined : createPostgresInbox({ db, schema, maxBatch: mode.maxBatch });
  const receiver = createReceiver({ secret: SECRET, logger: {}, stores, ...(inbox ? { inbox } : {}) });
  receiver.onAny(() => undefined);
  return { receiver, schema };
}

const receiverOn = async (db: PostgresDatabase, mode: 'inline' | { maxBatch: number }) =>
  (await receiverIn(db, mode)).receiver;

async function handle(receiver: Receiver, request: Request): Promise<void> {
  const response = await receiver.handle(request);
  if (response.status !== 200) throw new Error(`answer ${response.status}: ${response.body}`);
}

/** µs per delivery, one at a time: `receiver.handle()` on memory, PostgreSQL and PGlite stores. */
async function inlineRows(pool: pg.Pool, lite: PGlite | undefined, quick: boolean): Promise<CaseResult[]> {
  const count = quick ? 3_000 : 12_000;
  const batch = deliveries(count);
  const receivers: [string, Receiver][] = [
    ['receiver.handle() inline, memory stores', createReceiver({ secret: SECRET, logger: {} })],
    ['receiver.handle() inline, PostgreSQL stores (server)', await receiverOn(pool, 'inline')],
  ];
  if (lite) receivers.push(['receiver.handle() inline, PGlite stores (data dir)', await receiverOn(lite, 'inline')]);
  return compare(
    receivers.map(([name, receiver]) => {
      let next = 0;
      return { name, run: () => handle(receiver, batch[next++ % count]!) };
    }),
    { rounds: quick ? 3 : 8, roundMs: quick ? 60 : 250, warmupMs: quick ? 100 : 400, maxOperations: count },
  );
}

/** Deliveries per second through `receiver`, `IN_FLIGHT` at a time. */
async function ackRate(receiver: Receiver, batch: Request[]): Promise<number> {
  let next = 0;
  const started = performance.now();
  const lane = async () => {
    while (next < batch.length) await handle(receiver, batch[next++]!);
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
  return batch.length / ((performance.now() - started) / 1000);
}

/**
 * Acknowledgements per second at 50 in flight, rounds rotating the order of the cases (the first
 * is the baseline); each round gives each case about `roundMs` of fresh deliveries, sized from its
 * warm-up rate.
 */
async function ackRows(cases: [string, Receiver][], quick: boolean): Promise<AckRow[]> {
  const roundMs = quick ? 150 : 1_000;
  const sizes: number[] = [];
  for (const [, receiver] of cases) {
    const rate = await ackRate(receiver, deliveries(quick ? 100 : 600));
    sizes.push(Math.max(quick ? 50 : 100, Math.min(10_000, Math.round((rate * roundMs) / 1000))));
  }
  const perRound: number[][] = cases.map(() => []);
  for (let round = 0; round < (quick ? 1 : 8); round++) {
    for (const i of cases.map((_, k) => (k + round) % cases.length)) {
      perRound[i]!.push(await ackRate(cases[i]![1], deliveries(sizes[i]!)));
    }
  }
  return cases.map(([name], i) => {
    const ratios = perRound[i]!.map((rate, round) => rate / perRound[0]![round]!);
    return {
      name,
      perSecond: median(perRound[i]!),
      ratio: median(ratios),
      ratioMin: Math.min(...ratios),
      ratioMax: Math.max(...ratios),
      rounds: perRound[i]!,
    };
  });
}

/**
 * Events per second one worker at `concurrency` takes to process an inbox of `count` events: from
 * the start to the last row's `processed_at` (`drain()` itself waits a moment more to see the inbox stay empty).
 */
async function drainRate(db: PostgresDatabase, concurrency: number, count: number) {
  const { receiver, schema } = await receiverIn(db, { maxBatch: 100 });
  await ackRate(receiver, deliveries(count));
  const worker = createInboxWorker({ receiver, concurrency, logger: {} });
  const epochMs = async (sql: string) =>
    Number(((await db.query(`select extract(epoch from ${sql}) * 1000 as ms`)).rows[0] as { ms: string }).ms);
  const started = await epochMs('clock_timestamp()');
  const result = await worker.drain({ timeoutMs: 300_000 });
  if (result.processed !== count) throw new Error(`drain: processed ${result.processed} of ${count}`);
  const finished = await epochMs(`(select max(processed_at) from "${schema}".inbox)`);
  return { schema, perSecond: count / ((finished - started) / 1000) };
}

/** Every table of `schema` after VACUUM: pg_total_relation_size (heap, TOAST and indexes). */
async function tableBytes(pool: pg.Pool, schema: string): Promise<{ table: string; bytes: number }[]> {
  const tables = `select c.relname as table, pg_total_relation_size(c.oid) as bytes from pg_class c
     join pg_namespace n on n.oid = c.relnamespace where n.nspname = $1 and c.relkind = 'r' order by 2 desc`;
  for (const { table } of (await pool.query<{ table: string }>(tables, [schema])).rows) {
    await pool.query(`vacuum "${schema}"."${table}"`);
  }
  const { rows } = await pool.query<{ table: string; bytes: string }>(tables, [schema]);
  return rows.map((r) => ({ table: r.table, bytes: Number(r.bytes) }));
}

async function measure(pool: pg.Pool, pid: number, lite: PGlite | undefined, quick: boolean) {
  const inline = await inlineRows(pool, lite, quick);
  const memory = (): [string, Receiver] => [
    'inline, memory stores (baseline)',
    createReceiver({ secret: SECRET, logger: {} }),
  ];
  const group = async (): Promise<[string, Receiver]> => [
    'inbox on PostgreSQL, group commit (maxBatch 100)',
    await receiverOn(pool, { maxBatch: 100 }),
  ];
  const cases: [string, Receiver][] = [memory(), await group()];
  cases.push(['inbox on PostgreSQL, one INSERT per delivery (maxBatch 1)', await receiverOn(pool, { maxBatch: 1 })]);
  if (lite) cases.push(['inbox on PGlite, group commit (maxBatch 100)', await receiverOn(lite, { maxBatch: 100 })]);
  const httpCases = quick ? [memory(), await group()] : [memory(), await group(), ...cases.slice(2)];
  const http = await httpAckRows(httpCases, pid, {
    connections: IN_FLIGHT,
    rounds: quick ? 1 : 6,
    seconds: quick ? 1 : 2,
    warmUp: !quick,
  });
  cases.push(['inline, PostgreSQL stores', await receiverOn(pool, 'inline')]);
  const acks = await ackRows(cases, quick);
  const events = quick ? 20 : 1_000;
  const drain: PostgresBenchResult['drain'] = [];
  let drained = '';
  for (const [database, db] of lite ? ([['PGlite', lite]] as const) : []) {
    for (const concurrency of [1, 4])
      drain.push({ database, concurrency, events, ...(await drainRate(db, concurrency, events)) });
  }
  for (const concurrency of [1, 4]) {
    const { schema, perSecond } = await drainRate(pool, concurrency, events);
    drain.push({ database: 'PostgreSQL', concurrency, events, perSecond });
    drained = schema;
  }
  // The last drain's schema: `events` done inbox rows and everything processing them wrote.
  return { inline, http, acks, drain, bytes: { events, tables: await tableBytes(pool, drained) } };
}

async function describeServer(pool: pg.Pool): Promise<string> {
  const { rows } = await pool.query<{ v: string; f: string; s: string }>(
    `select current_setting('server_version') as v, current_setting('fsync') as f,
       current_setting('synchronous_commit') as s`,
  );
  const { v, f, s } = rows[0]!;
  return `PostgreSQL ${v}, fsync ${f}, synchronous_commit ${s}, a pg Pool of ${IN_FLIGHT} connections`;
}

/**
 * The section: skipped (with the reason) when no PostgreSQL server binaries are installed. A quick
 * run leaves PGlite out: creating its data folder alone takes 5–15 s on this machine.
 */
export async function postgresBench(quick: boolean): Promise<PostgresBenchResult | string> {
  const bin = postgresBin();
  if (bin === undefined) {
    return 'skipped: no PostgreSQL server under /usr/lib/postgresql/*/bin (apt-get install -y postgresql) and no POSTGRES_BIN_DIR';
  }
  const dir = mkdtempSync(join(tmpdir(), 'bench-pglite-'));
  const [server, lite] = await Promise.all([startServer(bin), quick ? undefined : PGlite.create(dir)]);
  // Connections stay open between rounds (no idle timeout): opening one is not what a row measures.
  const pool = new pg.Pool({ connectionString: server.url, max: IN_FLIGHT, idleTimeoutMillis: 0 });
  pool.on('error', () => undefined); // connections the server ends at the end
  try {
    return {
      server: await describeServer(pool),
      pglite: lite !== undefined,
      ...(await measure(pool, server.pid, lite, quick)),
    };
  } finally {
    await lite?.close();
    rmSync(dir, { recursive: true, force: true });
    await server.close(); // first: pool.end() would wait for connections still checked out
    await pool.end().catch(() => undefined);
  }
}
