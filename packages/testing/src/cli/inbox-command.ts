import { parseArgs } from 'node:util';
import { redactCredentials } from '@ai-stats-webhooks/core';
import {
  createPostgresInbox,
  fromPgPool,
  type InboxRecord,
  type InboxStats,
  type InboxStatus,
  type PgPoolLike,
  type PostgresInbox,
  schemaOption,
} from '@ai-stats-webhooks/postgres';
import { numberOption, requireOption, UsageError } from './cli-options';

/**
 * The help of `ai-stats-webhooks inbox`.
 *
 * @example
 * ```ts
 * console.log(INBOX_HELP);
 * ```
 */
export const INBOX_HELP = `ai-stats-webhooks inbox <stats | list | replay <event-id> | retry-dead> --database-url <url> [options]

Looks into the inbox of inbox mode (@ai-stats-webhooks/postgres) on a PostgreSQL server, and puts
failed events back in line.

  stats                 pending (waiting, retrying included), retrying, processing, dead, done,
                        and how long the oldest pending event has waited
  list                  events, newest first: id, status, failed attempts, event id, job, when
                        due, last error
  replay <event-id>     a dead or done event back to pending, attempts reset (a done event's
                        handlers run again); exits 1 when there is no such dead or done event
  retry-dead            every dead event back to pending, attempts reset

  --database-url <url>  postgres://user:password@host:5432/db (default: $DATABASE_URL)
  --schema <name>       the kit's schema (default ai_stats_webhooks)
  --status <s>          list: pending, processing, done or dead (default: all)
  --limit <n>           list: how many, 1–1000 (default 50)
  --json                print JSON`;

const INBOX_OPTIONS = {
  'database-url': { type: 'string' },
  schema: { type: 'string' },
  status: { type: 'string' },
  limit: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const SUBCOMMANDS = ['stats', 'list', 'replay', 'retry-dead'] as const;
type Subcommand = (typeof SUBCOMMANDS)[number];
const STATUSES: readonly InboxStatus[] = ['pending', 'processing', 'done', 'dead'];

/** An open connection to the inbox's database, ended by `close()`. */
export interface InboxConnection {
  readonly db: PgPoolLike;
  close(): Promise<void>;
}

/**
 * `ai-stats-webhooks inbox`: `stats`, `list`, `replay <event-id>` or `retry-dead` on the inbox of
 * a PostgreSQL server (`--database-url`, else `$DATABASE_URL`). Exits 0, or 1 when `replay`
 * found nothing to replay. `connect` opens the database (default: a `pg` `Pool` of one
 * connection, `pg` loaded on first use).
 *
 * @example
 * ```ts
 * await inboxCommand(['stats', '--database-url', 'postgres://app@127.0.0.1:5432/app'], console.log);
 * ```
 */
export async function inboxCommand(
  args: string[],
  out: (line: string) => void,
  connect: (url: string) => Promise<InboxConnection> = connectPool,
): Promise<number> {
  const { values: v, positionals } = parse(args);
  if (v.help) {
    out(INBOX_HELP);
    return 0;
  }
  const [subcommand, ...rest] = positionals;
  const command = subcommandOf(subcommand);
  const eventId = command === 'replay' ? rest.shift() : undefined;
  if (command === 'replay' && !eventId) throw new UsageError('replay needs an event id: inbox replay <event-id>.');
  if (rest.length > 0) throw new UsageError(`Unexpected argument "${rest[0]}".`);
  const url = databaseUrl(v['database-url'] ?? process.env.DATABASE_URL);
  const schema = schemaName(v.schema);
  const status = statusOption(v.status);
  const limit = numberOption(v.limit, '--limit', 1, 1000, true) ?? 50;
  const listOptions = status === undefined ? { limit } : { status, limit };
  const connection = await open(connect, url);
  try {
    const inbox = createPostgresInbox({ db: fromPgPool(connection.db), schema });
    return await run(inbox, command, { eventId, listOptions, json: v.json === true }, out);
  } finally {
    await connection.close();
  }
}

function parse(args: string[]) {
  try {
    return parseArgs({ args, options: INBOX_OPTIONS, strict: true, allowPositionals: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function subcommandOf(value: string | undefined): Subcommand {
  if (value !== undefined && (SUBCOMMANDS as readonly string[]).includes(value)) return value as Subcommand;
  throw new UsageError(
    `${value === undefined ? 'A subcommand is required' : `Unknown inbox subcommand "${value}"`}: expected stats, list, replay <event-id> or retry-dead.`,
  );
}

function databaseUrl(value: string | undefined): string {
  const url = requireOption(value, '--database-url');
  if (/^postgres(ql)?:\/\//.test(url)) return url;
  throw new UsageError(`--database-url must be a postgres:// URL, found "${redactCredentials(url).slice(0, 80)}".`);
}

function schemaName(value: string | undefined): string {
  try {
    return schemaOption(value, '--schema').name;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function statusOption(value: string | undefined): InboxStatus | undefined {
  if (value === undefined || (STATUSES as readonly string[]).includes(value)) return value as InboxStatus | undefined;
  throw new UsageError(`--status must be pending, processing, done or dead, found "${value}".`);
}

// A failure to connect names the database without its credentials.
async function open(connect: (url: string) => Promise<InboxConnection>, url: string): Promise<InboxConnection> {
  try {
    return await connect(url);
  } catch (error) {
    throw new Error(`Could not connect to ${redactCredentials(url)}: ${redactCredentials(String(error))}`);
  }
}

async function connectPool(url: string): Promise<InboxConnection> {
  type PoolConstructor = new (config: Record<string, unknown>) => PgPoolLike & {
    end(): Promise<void>;
    on(event: 'error', listener: () => void): unknown;
  };
  const pg = (await import('pg')) as unknown as { Pool?: PoolConstructor; default?: { Pool: PoolConstructor } };
  const Pool = pg.Pool ?? pg.default!.Pool;
  const pool = new Pool({ connectionString: url, max: 1, connectionTimeoutMillis: 5_000 });
  pool.on('error', () => undefined); // an idle connection the server ended; the next query reports it
  await pool.query('select 1');
  return { db: pool, close: () => pool.end() };
}

interface RunOptions {
  readonly eventId: string | undefined;
  readonly listOptions: { readonly status?: InboxStatus; readonly limit: number };
  readonly json: boolean;
}

async function run(
  inbox: PostgresInbox,
  command: Subcommand,
  { eventId, listOptions, json }: RunOptions,
  out: (line: string) => void,
): Promise<number> {
  const print = (value: unknown, text: () => string[]) => {
    for (const line of json ? [JSON.stringify(value, null, 2)] : text()) out(line);
  };
  if (command === 'stats') {
    const stats = await inbox.stats();
    print(stats, () => statsLines(stats));
  } else if (command === 'list') {
    const records = await inbox.list(listOptions);
    print(records, () => (records.length === 0 ? ['(no events)'] : records.map(recordLine)));
  } else if (command === 'retry-dead') {
    const moved = await inbox.retryDead();
    print({ retried: moved }, () => [`${moved} dead event(s) back to pending`]);
  } else {
    const result = await inbox.replay(eventId!);
    print(result, () => [replayLine(eventId!, result)]);
    return result.replayed ? 0 : 1;
  }
  return 0;
}

function statsLines(stats: InboxStats): string[] {
  const oldest = stats.oldestPendingMs === null ? '-' : `${(stats.oldestPendingMs / 1000).toFixed(1)} s`;
  return [
    `pending     ${stats.pending}`,
    `retrying    ${stats.retrying}`,
    `processing  ${stats.processing}`,
    `dead        ${stats.dead}`,
    `done        ${stats.done}`,
    `oldest pending  ${oldest}`,
  ];
}

function recordLine(r: InboxRecord): string {
  const due = r.status === 'pending' ? ` due ${r.nextAttemptAt.toISOString()}` : '';
  const error = r.lastError ? ` error: ${r.lastError.replace(/\s+/g, ' ').slice(0, 200)}` : '';
  return `#${r.id} ${r.status} attempts=${r.attempts} ${r.eventId} job=${r.jobId ?? '-'}${due}${error}`;
}

function replayLine(eventId: string, result: { replayed: boolean; status: InboxStatus | undefined }): string {
  if (result.replayed) return `${eventId}: ${result.status} → pending`;
  if (result.status === undefined) return `${eventId}: no such event in the inbox`;
  return `${eventId}: is ${result.status}, only dead or done events are replayed`;
}
