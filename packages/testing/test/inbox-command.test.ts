import { Pool } from 'pg';
import { createPostgresInbox, migrate, type PostgresInbox } from '@ai-stats-webhooks/postgres';
import { startPostgresServer, type PostgresServer } from '../../../test/helpers/postgres-server';
import { UsageError } from '../src/cli/cli-options';
import { INBOX_HELP, inboxCommand } from '../src/cli/inbox-command';
import { main } from '../src/cli';

// `ai-stats-webhooks inbox …` against a real PostgreSQL server with a migrated inbox.
let server: PostgresServer;
let pool: Pool;
let inbox: PostgresInbox;
const schema = 'cli_inbox';

beforeAll(async () => {
  server = await startPostgresServer();
  pool = new Pool({ connectionString: server.url, max: 2 });
  pool.on('error', () => undefined); // a connection the server ends at teardown
  await migrate(pool, { schema });
  inbox = createPostgresInbox({ db: pool, schema });
  for (const [i, jobId] of ['G-CLI1', 'G-CLI2', 'G-CLI3'].entries()) {
    await inbox.enqueue({
      eventId: `evt_video_${jobId}_video_completed`,
      dedupeKey: `evt_video_${jobId}_video_completed`,
      type: 'video.completed',
      jobId,
      attempt: 1,
      prefix: 'phaseo',
      legacy: false,
      body: '{}',
      receivedAt: new Date(Date.now() - (i + 1) * 60_000),
    });
  }
  await pool.query(
    `update ${schema}.inbox set status = 'dead', attempts = 10,
      last_error = 'WebhookError[handler_failed]: Expected … ← Error: upload to https://***@store.example failed'
     where job_id = 'G-CLI1'`,
  );
}, 60_000);
afterAll(async () => {
  await pool?.end();
  await server?.destroy();
}, 30_000);

const run = async (args: string[]) => {
  const lines: string[] = [];
  const code = await main(
    ['inbox', ...args, '--database-url', server.url, '--schema', schema],
    (line) => void lines.push(line),
  );
  return { code, output: lines.join('\n') };
};

describe('ai-stats-webhooks inbox', () => {
  it('prints its help with --help and through help inbox', async () => {
    for (const args of [
      ['inbox', '--help'],
      ['inbox', 'stats', '-h'],
      ['help', 'inbox'],
    ]) {
      const lines: string[] = [];
      expect(await main(args, (line) => void lines.push(line))).toBe(0);
      expect(lines).toEqual([INBOX_HELP]);
    }
    expect(INBOX_HELP).toContain('ai-stats-webhooks inbox <stats | list | replay <event-id> | retry-dead>');
  });

  it('prints the counts, as text and as JSON', async () => {
    const text = await run(['stats']);
    expect(text.code).toBe(0);
    expect(text.output).toMatch(/^pending {5}2$/m);
    expect(text.output).toMatch(/^dead {8}1$/m);
    expect(text.output).toMatch(/^oldest pending {2}\d+\.\d s$/m);
    const json = JSON.parse((await run(['stats', '--json'])).output);
    expect(json).toMatchObject({ pending: 2, retrying: 0, processing: 0, dead: 1, done: 0 });
    console.log(`inbox stats: ${text.output.replace(/\n/g, ' | ')}`);
  });

  it('lists events, filtered by status, with their last error', async () => {
    const all = await run(['list']);
    expect(all.output.split('\n')).toHaveLength(3);
    const dead = await run(['list', '--status', 'dead', '--limit', '5']);
    expect(dead.output).toMatch(
      /^#\d+ dead attempts=10 evt_video_G-CLI1_video_completed job=G-CLI1 error: WebhookError\[handler_failed\]/,
    );
    expect(JSON.parse((await run(['list', '--status', 'pending', '--json'])).output)).toHaveLength(2);
    expect((await run(['list', '--status', 'done'])).output).toBe('(no events)');
  });

  it('replays a dead event (exit 0), refuses a pending or missing one (exit 1), and retries every dead event', async () => {
    const replay = await run(['replay', 'evt_video_G-CLI1_video_completed']);
    expect(replay).toEqual({ code: 0, output: 'evt_video_G-CLI1_video_completed: dead → pending' });
    expect(await run(['replay', 'evt_video_G-CLI1_video_completed'])).toEqual({
      code: 1,
      output: 'evt_video_G-CLI1_video_completed: is pending, only dead or done events are replayed',
    });
    expect((await run(['replay', 'evt_nope'])).code).toBe(1);
    await pool.query(`update ${schema}.inbox set status = 'dead' where job_id in ('G-CLI2', 'G-CLI3')`);
    expect(await run(['retry-dead'])).toEqual({ code: 0, output: '2 dead event(s) back to pending' });
    expect(await inbox.stats()).toMatchObject({ pending: 3, dead: 0 });
  });

  it.each([
    [['stats'], /--database-url is required/],
    [['frobnicate', '--database-url', 'postgres://x'], /Unknown inbox subcommand "frobnicate"/],
    [[], /A subcommand is required/],
    [['replay', '--database-url', 'postgres://x'], /replay needs an event id/],
    [['stats', 'extra', '--database-url', 'postgres://x'], /Unexpected argument "extra"/],
    [
      ['stats', '--database-url', 'mysql://u:pw@x/db'],
      /--database-url must be a postgres:\/\/ URL, found "mysql:\/\/\*\*\*@x\/db"/,
    ],
    [['list', '--database-url', 'postgres://x', '--status', 'lost'], /--status must be pending/],
    [['list', '--database-url', 'postgres://x', '--limit', '0'], /--limit must be a number from 1 to 1000/],
    [['stats', '--database-url', 'postgres://x', '--schema', 'Bad-Name'], /Option "--schema"/],
    [['stats', '--colour'], /Unknown option '--colour'/],
  ])('rejects %j with a usage error', async (args, message) => {
    const env = process.env.DATABASE_URL;
    delete process.env.DATABASE_URL;
    try {
      const attempt = inboxCommand(args, () => undefined);
      await expect(attempt).rejects.toThrow(UsageError);
      await expect(attempt).rejects.toThrow(message);
    } finally {
      if (env !== undefined) process.env.DATABASE_URL = env;
    }
  });

  it('names the database without its password when it cannot connect', async () => {
    const url = `postgres://app:hunter2@127.0.0.1:1/db`;
    const attempt = inboxCommand(['stats', '--database-url', url], () => undefined);
    await expect(attempt).rejects.toThrow(/^Could not connect to postgres:\/\/\*\*\*@127\.0\.0\.1:1\/db: /);
    await expect(attempt).rejects.not.toThrow(/hunter2/);
  });
});
