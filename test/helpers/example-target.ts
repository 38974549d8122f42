import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, startExample, type RunningApp } from './example-app';

/**
 * One way of running an example that the contract suite drives: the folder under examples/ and
 * the package.json script that starts it. Every case applies to every target (on workerd the
 * launcher checks HOST and the settings, and exits, before Miniflare listens).
 */
export interface ExampleTarget {
  example: string;
  script: string;
  /** What the test names call it, e.g. `examples/fetch on workerd`. */
  label: string;
}

/** The three examples on Node, each with its `start` script. */
export const NODE_TARGETS: ExampleTarget[] = ['express', 'fetch', 'nextjs'].map((example) => ({
  example,
  script: 'start',
  label: `examples/${example}`,
}));

/** examples/fetch on each runtime besides Node, through its `start:<runtime>` script. */
export const RUNTIME_TARGETS: ExampleTarget[] = ['workerd', 'deno', 'bun'].map((runtime) => ({
  example: 'fetch',
  script: `start:${runtime}`,
  label: `examples/fetch on ${runtime}`,
}));

export const ADMIN_TOKEN = 'adm_e2e_7f3c2a9b41d8e6057c';

/** The shell command of a target's script, as `pnpm --dir examples/<example> <script>` runs it. */
export function scriptCommand(target: ExampleTarget): string {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'examples', target.example, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  const command = manifest.scripts[target.script];
  if (!command) throw new Error(`examples/${target.example} has no "${target.script}" script`);
  return command;
}

/** Starts a target on a free port (or `port`) and waits for GET /healthz. */
export function startTarget(
  target: ExampleTarget,
  env: Record<string, string>,
  options: { port?: number } = {},
): Promise<RunningApp> {
  return startExample(target.example, env, { command: scriptCommand(target), ...options });
}

/** Runs a target to completion (start-up failures) within 20 s; its exit code and output. */
export function runTarget(
  target: ExampleTarget,
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  const dir = join(ROOT, 'examples', target.example);
  const child = spawn('sh', ['-c', scriptCommand(target)], {
    cwd: dir,
    detached: true,
    env: {
      PATH: `${join(dir, 'node_modules', '.bin')}:${process.env.PATH ?? ''}`,
      NEXT_TELEMETRY_DISABLED: '1',
      PORT: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve) => {
    const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 20_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/** POST a JSON body. */
export const postJson = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
