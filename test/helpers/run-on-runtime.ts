import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { bundleForRuntime, type Runtime } from '../../examples/fetch/src/runtimes/bundle-for-runtime';
import { runtimeBinary } from '../../examples/fetch/src/runtimes/runtime-binary';
import { ROOT } from './example-app';

const run = promisify(execFile);
// The runtimes are examples/fetch's dev dependencies; packages resolve as they do there.
const EXAMPLE_DIR = join(ROOT, 'examples', 'fetch');
const OUT = join(ROOT, 'test-output', 'runtimes');

/** How each runtime runs a module that calls the Worker's fetch once and prints the answer. */
function command(runtime: Runtime, bundle: string, dir: string): [string, string[], Record<string, string>] {
  if (runtime === 'workerd') return [process.execPath, [join(__dirname, 'miniflare-fetch-once.mjs'), bundle], {}];
  const once = join(dir, 'fetch-once.mjs');
  writeFileSync(
    once,
    `import worker from './${basename(bundle)}';\n` +
      `const response = await worker.fetch(new Request('http://localhost/'));\n` +
      `console.log(await response.text());\n`,
  );
  return runtime === 'deno'
    ? [
        runtimeBinary('deno', EXAMPLE_DIR),
        ['run', '--no-config', '--no-lock', '--no-prompt', once],
        { DENO_NO_UPDATE_CHECK: '1' },
      ]
    : [runtimeBinary('bun', EXAMPLE_DIR), ['--no-install', once], { DO_NOT_TRACK: '1' }];
}

/**
 * Bundles a Worker-style module (`export default { fetch }`) with `runtime`'s `exports`
 * conditions, runs it inside that runtime (workerd through Miniflare, Deno, Bun), calls its fetch
 * once, and resolves with the answer's body. No permissions beyond running the file; 60 s at most.
 *
 * @example
 * ```ts
 * const report = JSON.parse(await fetchOnceOn('deno', join(__dirname, '../runtimes/signature-vectors.worker.ts')));
 * ```
 */
export async function fetchOnceOn(runtime: Runtime, entry: string): Promise<string> {
  const dir = join(OUT, runtime);
  const bundle = await bundleForRuntime(runtime, entry, join(dir, `${basename(entry, '.ts')}.js`), [
    join(EXAMPLE_DIR, 'node_modules'),
  ]);
  const [file, args, env] = command(runtime, bundle, dir);
  const { stdout } = await run(file, args, {
    env: { ...process.env, ...env },
    timeout: 60_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  return stdout;
}
