// Starts one of the runtimes section's Worker-style modules (runtime-bare-worker.ts,
// runtime-library-worker.ts) as a server of its own on workerd, Deno or Bun: bundled with that
// runtime's `exports` conditions, listening on 127.0.0.1 (a free port), in a process of its own.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXAMPLE_DIR, exampleRuntimes, type Runtime } from './example-runtimes.js';

const DIST = fileURLToPath(new URL('.', import.meta.url));

/** A running server: its URL (path /hook), the pid whose process tree does the work, and stop. */
export interface RuntimeServer {
  url: string;
  pid: number;
  close: () => Promise<void>;
}

/**
 * For runtime-profile.ts: workerd and Deno open a V8 inspector on `inspectorPort` (127.0.0.1);
 * Bun writes `cpuProfile` (a .cpuprofile path) when it is stopped.
 */
export interface ProfileOptions {
  inspectorPort: number;
  cpuProfile: string;
}

/** The program that serves `bundle` on `runtime` and prints `PORT=<port>` once it listens. */
async function command(
  runtime: Runtime,
  bundle: string,
  secret: string,
  profile: ProfileOptions | undefined,
): Promise<[string, string[]]> {
  if (runtime === 'workerd') {
    const inspector = profile ? [String(profile.inspectorPort)] : [];
    return [process.execPath, [`${DIST}workerd-serve.js`, bundle, secret, ...inspector]];
  }
  const { runtimeBinary } = await exampleRuntimes();
  const serve = bundle.replace(/\.js$/, '.serve.mjs');
  const env = `{ WEBHOOK_SECRET: ${JSON.stringify(secret)} }`;
  const body =
    runtime === 'deno'
      ? `Deno.serve({ port: 0, hostname: '127.0.0.1', onListen: ({ port }) => console.log('PORT=' + port) }, (request) => worker.fetch(request, env));`
      : `const server = Bun.serve({ port: 0, hostname: '127.0.0.1', development: false, fetch: (request) => worker.fetch(request, env) });\nconsole.log('PORT=' + server.port);\nprocess.once('SIGTERM', () => process.exit(0));`;
  writeFileSync(serve, `import worker from './${bundle.split('/').at(-1)}';\nconst env = ${env};\n${body}\n`);
  if (runtime === 'deno') {
    const inspect = profile ? [`--inspect=127.0.0.1:${profile.inspectorPort}`] : [];
    const args = ['run', ...inspect, '--allow-net=127.0.0.1', '--no-config', '--no-lock', '--no-prompt', serve];
    return [runtimeBinary('deno', EXAMPLE_DIR), args];
  }
  const cpuProf = profile
    ? [
        '--cpu-prof',
        '--cpu-prof-interval=100',
        `--cpu-prof-dir=${dirname(profile.cpuProfile)}`,
        `--cpu-prof-name=${basename(profile.cpuProfile)}`,
      ]
    : [];
  return [runtimeBinary('bun', EXAMPLE_DIR), [...cpuProf, '--no-install', serve]];
}

/**
 * Bundles `worker` for `runtime` and serves it; resolves once it listens (60 s at most).
 *
 * @example
 * ```ts
 * const server = await startRuntimeServer('deno', 'library', SECRET);
 * await load(server.url, 10, 2, 4096);
 * await server.close();
 * ```
 */
export async function startRuntimeServer(
  runtime: Runtime,
  worker: 'bare' | 'library',
  secret: string,
  profile?: ProfileOptions,
): Promise<RuntimeServer> {
  const { bundleForRuntime } = await exampleRuntimes();
  mkdirSync(`${DIST}runtimes/${runtime}`, { recursive: true });
  const bundle = await bundleForRuntime(
    runtime,
    `${DIST}runtime-${worker}-worker.js`,
    `${DIST}runtimes/${runtime}/${worker}.js`,
  );
  const [file, args] = await command(runtime, bundle, secret, profile);
  // A process group of its own, so stopping it stops workerd under its Miniflare launcher too.
  const child = spawn(file, args, {
    detached: true,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, DENO_NO_UPDATE_CHECK: '1', DO_NOT_TRACK: '1' },
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`${runtime} ${worker}: no PORT= within 60 s:\n${output}`)), 60_000);
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /PORT=(\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    void exited.then(() => reject(new Error(`${runtime} ${worker} exited before listening:\n${output}`)));
  });
  return {
    url: `http://127.0.0.1:${port}/hook`,
    pid: child.pid!,
    close: async () => {
      const signal = (name: NodeJS.Signals) => () => {
        if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, name);
      };
      const timer = setTimeout(signal('SIGKILL'), 5_000);
      signal('SIGTERM')();
      await exited;
      clearTimeout(timer);
    },
  };
}
