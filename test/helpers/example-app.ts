import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');

export interface RunningApp {
  url: string;
  port: number;
  output: () => string;
  /** SIGTERM, then SIGKILL after 5 s. */
  stop: () => Promise<void>;
  /** SIGKILL at once. */
  kill: () => Promise<void>;
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function spawnStart(name: string, env: Record<string, string>, command?: string) {
  const dir = join(ROOT, 'examples', name);
  const script =
    command ??
    (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;
  // What `pnpm --dir examples/<name> start` runs: the package's start script, with its .bin on PATH.
  return spawn('sh', ['-c', script], {
    cwd: dir,
    detached: true,
    env: {
      PATH: `${join(dir, 'node_modules', '.bin')}:${process.env.PATH ?? ''}`,
      NEXT_TELEMETRY_DISABLED: '1',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

// The variables that say where an example keeps its state; without any, it uses PGlite in DATA_DIR.
const STORE_VARIABLES = ['DATA_DIR', 'DATABASE_URL', 'REDIS_URL', 'STORE'];

/**
 * Starts an example app as its own process group on a free port, the way the README does, and
 * waits until GET /healthz answers. Unless `env` says where the state lives (DATA_DIR,
 * DATABASE_URL, REDIS_URL or STORE), the app gets a temp DATA_DIR of its own, removed once it
 * has exited (stop, kill or a failed start).
 */
export async function startExample(
  name: string,
  env: Record<string, string>,
  options: { timeoutMs?: number; command?: string; port?: number } = {},
): Promise<RunningApp> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const port = options.port ?? (await freePort());
  const dataDir = STORE_VARIABLES.some((v) => env[v]) ? undefined : mkdtempSync(join(tmpdir(), `ai-stats-${name}-`));
  const child = spawnStart(
    name,
    { PORT: String(port), ...(dataDir ? { DATA_DIR: dataDir } : {}), ...env },
    options.command,
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  let exitCode: number | null | undefined;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code) => {
      exitCode = code;
      // The shell's exit is not the app's: its data goes once the whole process group has.
      void groupGone(child.pid!).then(() => {
        if (dataDir) rmSync(dataDir, { recursive: true, force: true });
        resolve();
      });
    }),
  );
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exitCode !== undefined) throw new Error(`${name} exited with ${exitCode}:\n${output}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      process.kill(-child.pid!, 'SIGKILL');
      throw new Error(`${name} did not answer /healthz within ${timeoutMs} ms:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    port,
    output: () => output,
    kill: async () => {
      if (exitCode === undefined) {
        process.kill(-child.pid!, 'SIGKILL');
        await exited;
      }
    },
    stop: async () => {
      if (exitCode === undefined) {
        process.kill(-child.pid!, 'SIGTERM');
        const timer = setTimeout(() => exitCode === undefined && process.kill(-child.pid!, 'SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}

// True while a process of the group runs; a zombie (dead, waiting for init to reap it) does not.
function groupRunning(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
  } catch {
    return false; // no such group
  }
  if (!existsSync('/proc/self/stat')) return true;
  return readdirSync('/proc').some((pid) => {
    try {
      // After the command name: state, ppid, pgrp.
      const [state, , pgrp] = readFileSync(`/proc/${pid}/stat`, 'utf8')
        .replace(/^.*\) /s, '')
        .split(' ');
      return pgrp === String(pgid) && state !== 'Z' && state !== 'X';
    } catch {
      return false; // not a process, or gone meanwhile
    }
  });
}

// Resolves once the group has no running process; SIGKILLs what remains after 5 s.
async function groupGone(pgid: number): Promise<void> {
  const started = Date.now();
  while (groupRunning(pgid) && Date.now() - started < 10_000) {
    if (Date.now() - started > 5_000) {
      try {
        process.kill(-pgid, 'SIGKILL');
      } catch {
        // gone meanwhile
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Runs an example to completion (for start-up failures) and returns its exit code and output. */
export function runExample(
  name: string,
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawnStart(name, { PORT: '0', ...env });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 10_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

// /proc/net/tcp{,6} hold addresses as little-endian 32-bit hex words.
function procAddress(hex: string): string {
  const bytes = (hex.match(/../g) ?? []).map((b) => parseInt(b, 16));
  const words = Array.from({ length: bytes.length / 4 }, (_, i) => bytes.slice(i * 4, i * 4 + 4).reverse());
  if (words.length === 1) return words[0]!.join('.');
  const v6 = words.flat();
  if (v6.slice(0, 10).every((b) => b === 0) && v6[10] === 255 && v6[11] === 255) return v6.slice(12).join('.');
  const groups = Array.from({ length: 8 }, (_, i) => ((v6[i * 2]! << 8) | v6[i * 2 + 1]!).toString(16));
  return groups.join(':').replace(/(^|:)0(:0)+(:|$)/, '::');
}

/**
 * The local addresses of the TCP sockets listening on `port`, read from /proc/net/tcp and
 * /proc/net/tcp6 (Linux), e.g. `['127.0.0.1']`, or `['::']` for every interface. No traffic.
 */
export function listeningAddresses(port: number): string[] {
  const found = new Set<string>();
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    if (!existsSync(file)) continue;
    for (const line of readFileSync(file, 'utf8').split('\n').slice(1)) {
      const [, local, , state] = line.trim().split(/\s+/);
      const [address, portHex] = (local ?? '').split(':');
      if (state === '0A' && address && parseInt(portHex ?? '', 16) === port) found.add(procAddress(address));
    }
  }
  return [...found].sort();
}
