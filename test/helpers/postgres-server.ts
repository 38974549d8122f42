import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './example-app';

/** A real PostgreSQL server on 127.0.0.1 and a free port, in a temp folder; restartable on the same port. */
export interface PostgresServer {
  readonly port: number;
  /** `postgres://postgres@127.0.0.1:<port>/postgres` (trust auth, no password). */
  readonly url: string;
  /** The data directory (removed by `destroy`). */
  readonly dataDir: string;
  /** Fast shutdown (SIGINT): sessions are ended, data is kept for `start()`. */
  stop(): Promise<void>;
  /** SIGKILL of the postmaster: as a crash; the next `start()` recovers from the WAL. */
  kill(): Promise<void>;
  start(): Promise<void>;
  /** Stops the server and removes its folder. */
  destroy(): Promise<void>;
}

/** Options of {@link startPostgresServer}. */
export interface PostgresServerOptions {
  /** fsync and synchronous commit on, as in production. Default off: tests do not need them to survive an OS crash. */
  readonly durable?: boolean;
  /** More `-c name=value` server settings. */
  readonly settings?: Readonly<Record<string, string>>;
}

/**
 * The newest `/usr/lib/postgresql/<version>/bin` (Debian's `postgresql` package), or
 * `POSTGRES_BIN_DIR`. Throws with the fix when there is none.
 */
export function postgresBinDir(): string {
  const fromEnv = process.env.POSTGRES_BIN_DIR;
  if (fromEnv) return fromEnv;
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((version) => existsSync(join(root, version, 'bin', 'postgres')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions.length === 0) {
    throw new Error(
      `Expected a PostgreSQL server under ${root}/*/bin/postgres, found none: apt-get install -y postgresql (.ci/run does), or set POSTGRES_BIN_DIR.`,
    );
  }
  return join(root, versions[0]!, 'bin');
}

// PostgreSQL refuses to run as root: as root, the server runs as the `postgres` user.
function serverUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    throw new Error(
      'Expected a "postgres" user to run the test server as (PostgreSQL refuses root), found none: apt-get install -y postgresql creates it.',
    );
  }
}

function initdb(bin: string, dataDir: string, user: { uid: number; gid: number } | undefined): void {
  const args = ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync'];
  const result = spawnSync(join(bin, 'initdb'), args, { encoding: 'utf8', timeout: 60_000, ...user });
  if (result.status !== 0) {
    throw new Error(`initdb failed (exit ${result.status}): ${result.stderr || result.error?.message}`);
  }
}

function isReady(bin: string, port: number): boolean {
  const result = spawnSync(join(bin, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port), '-t', '1'], {
    timeout: 5_000,
  });
  return result.status === 0;
}

// A temp folder holding the data directory and the socket, owned by the server's user.
function createDataDir(bin: string, user: { uid: number; gid: number } | undefined) {
  const root = mkdtempSync(join(tmpdir(), 'ai-stats-postgres-'));
  const dataDir = join(root, 'data');
  mkdirSync(dataDir, { mode: 0o700 });
  if (user) {
    chownSync(root, user.uid, user.gid);
    chownSync(dataDir, user.uid, user.gid);
  }
  initdb(bin, dataDir, user);
  return { root, dataDir };
}

function serverArgs(dataDir: string, root: string, port: number, options: PostgresServerOptions): string[] {
  const fast = options.durable ? {} : { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' };
  const settings: Record<string, string> = {
    listen_addresses: '127.0.0.1',
    port: String(port),
    unix_socket_directories: root,
    max_connections: '100',
    ...fast,
    ...options.settings,
  };
  return ['-D', dataDir, ...Object.entries(settings).flatMap(([name, value]) => ['-c', `${name}=${value}`])];
}

// Sends `signal` and waits for the exit (SIGKILL after 10 s).
async function stopChild(c: ChildProcess | undefined, signal: NodeJS.Signals): Promise<void> {
  if (!c || c.exitCode !== null || c.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => c.kill('SIGKILL'), 10_000);
    c.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    c.kill(signal);
  });
}

/**
 * Starts a PostgreSQL server of its own: `initdb` into a temp folder (owned by the `postgres` user
 * when the tests run as root), trust authentication, listening on 127.0.0.1 only, on a free port,
 * with its socket in the folder. Killed if this process exits first.
 */
export async function startPostgresServer(options: PostgresServerOptions = {}): Promise<PostgresServer> {
  const bin = postgresBinDir();
  const user = serverUser();
  const { root, dataDir } = createDataDir(bin, user);
  const port = await freePort();
  const args = serverArgs(dataDir, root, port, options);
  let child: ChildProcess | undefined;
  const killOnExit = () => child?.kill('SIGKILL');
  process.once('exit', killOnExit);

  const start = async () => {
    let log = '';
    const started = spawn(join(bin, 'postgres'), args, { stdio: ['ignore', 'ignore', 'pipe'], ...user });
    started.stderr?.on('data', (chunk: Buffer) => (log = (log + chunk.toString()).slice(-4_000)));
    child = started;
    const deadline = Date.now() + 30_000;
    while (!isReady(bin, port)) {
      if (started.exitCode !== null || Date.now() > deadline) {
        throw new Error(`PostgreSQL did not start on port ${port} (exit ${started.exitCode}): ${log}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  const halt = (signal: NodeJS.Signals) => {
    const c = child;
    child = undefined;
    return stopChild(c, signal);
  };
  await start();
  return {
    port,
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    dataDir,
    start,
    stop: () => halt('SIGINT'),
    kill: () => halt('SIGKILL'),
    async destroy() {
      await halt('SIGINT');
      process.removeListener('exit', killOnExit);
      rmSync(root, { recursive: true, force: true });
    },
  };
}
