import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
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

/**
 * Starts an example app as its own process group on a free port, the way the README does, and
 * waits until GET /healthz answers.
 */
export async function startExample(
  name: string,
  env: Record<string, string>,
  options: { timeoutMs?: number; command?: string; port?: number } = {},
): Promise<RunningApp> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const port = options.port ?? (await freePort());
  const child = spawnStart(name, { PORT: String(port), ...env }, options.command);
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  let exitCode: number | null | undefined;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code) => {
      exitCode = code;
      resolve();
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
