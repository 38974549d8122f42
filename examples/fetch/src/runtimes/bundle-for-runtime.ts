// Bundles a module into a single ES module file for one runtime with esbuild, resolving packages
// through that runtime's own `exports` conditions, so the bundle holds exactly the build of
// @ai-stats-webhooks/core the runtime gets (the WebCrypto one on workerd and Deno).
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { build } from 'esbuild';

/**
 * The `exports` conditions each runtime resolves with (as wrangler, Deno and Bun do), and the
 * modules it provides itself. workerd runs without `nodejs_compat` here, so its bundle must hold
 * no `node:` import; Deno has the `node:` built-ins (lru-cache's `node` build imports one); Bun
 * takes the `node` condition and has every Node built-in, as esbuild's `node` platform assumes.
 */
export const RUNTIME_RESOLUTION = {
  workerd: { platform: 'neutral', conditions: ['workerd', 'worker', 'browser'], external: [] },
  deno: { platform: 'neutral', conditions: ['deno', 'node'], external: ['node:*'] },
  bun: { platform: 'node', conditions: ['bun'], external: ['bun'] },
} as const;

/** A runtime this example runs on besides Node. */
export type Runtime = keyof typeof RUNTIME_RESOLUTION;

/**
 * Bundles `entry` for `runtime` into `outfile` and returns `outfile`. The file is written whole,
 * then renamed into place, so a runtime started at the same moment never reads half a bundle.
 * `nodePaths` are extra folders to resolve packages from (like NODE_PATH).
 *
 * @example
 * ```ts
 * await bundleForRuntime('workerd', 'src/worker.ts', 'dist/bundles/worker.js');
 * ```
 */
export async function bundleForRuntime(
  runtime: Runtime,
  entry: string,
  outfile: string,
  nodePaths: string[] = [],
): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'esm',
    platform: RUNTIME_RESOLUTION[runtime].platform,
    target: 'es2022',
    conditions: [...RUNTIME_RESOLUTION[runtime].conditions],
    external: [...RUNTIME_RESOLUTION[runtime].external],
    mainFields: ['module', 'main'],
    nodePaths,
    // Packages resolve through node_modules and their `exports`, never through tsconfig `paths`
    // (the repository's root tsconfig maps them to their sources, for type checking).
    tsconfigRaw: {},
    logLevel: 'error',
  });
  mkdirSync(dirname(outfile), { recursive: true });
  const partial = `${outfile}.${process.pid}.tmp`;
  writeFileSync(partial, result.outputFiles[0]!.contents);
  renameSync(partial, outfile);
  return outfile;
}
