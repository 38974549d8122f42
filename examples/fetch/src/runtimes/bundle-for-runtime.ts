// Bundles a module into a single ES module file for one runtime with esbuild, resolving packages
// through that runtime's own `exports` conditions, so the bundle holds exactly the build of
// @ai-stats-webhooks/core the runtime gets (the WebCrypto one on workerd and Deno). A CommonJS
// package's `require('util')` (or `require('node:util')`) becomes an ES import of `node:util`, as
// wrangler does with `nodejs_compat`: an ES module bundle has no `require`, and esbuild would leave
// a `__require('util')` that throws on workerd and Deno. Here that is prom-client (GET /metrics).
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { builtinModules } from 'node:module';
import { build, type Plugin } from 'esbuild';

/**
 * The `exports` conditions each runtime resolves with (as wrangler, Deno and Bun do), and the
 * modules it provides itself. On workerd, core's web build has no `node:` import; prom-client
 * (GET /metrics) requires Node built-ins, which workerd has with the `nodejs_compat` flag
 * (COMPATIBILITY_FLAGS). Deno has the `node:` built-ins (lru-cache's `node` build imports one); Bun
 * takes the `node` condition and has every Node built-in, as esbuild's `node` platform assumes.
 * On every runtime, a package's `require` of a built-in becomes a `node:` import
 * ({@link nodeBuiltinsAsImports}): an ES module bundle has no `require`.
 */
export const RUNTIME_RESOLUTION = {
  workerd: { platform: 'neutral', conditions: ['workerd', 'worker', 'browser'], external: [] },
  deno: { platform: 'neutral', conditions: ['deno', 'node'], external: ['node:*'] },
  bun: { platform: 'node', conditions: ['bun'], external: ['bun'] },
} as const;

/** A runtime this example runs on besides Node. */
export type Runtime = keyof typeof RUNTIME_RESOLUTION;

const NAMESPACE = 'node-builtin-require';
const escape = (name: string) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** `util`, `node:util`, `fs/promises`, …: every Node built-in, with or without its `node:` prefix. */
const BUILTIN = new RegExp(
  `^(node:)?(${builtinModules
    .filter((name) => !name.startsWith('_'))
    .map(escape)
    .join('|')})$`,
);

/**
 * The plugin: a `require` of a Node built-in becomes a module that imports `node:<name>` and
 * exports it as CommonJS; an `import` of a bare built-in name becomes an import of `node:<name>`.
 * Either way the bundle keeps `node:<name>` as an external import for the runtime to provide.
 */
const nodeBuiltinsAsImports: Plugin = {
  name: 'node-builtins-as-imports',
  setup(build) {
    build.onResolve({ filter: BUILTIN }, (args) => {
      const name = args.path.replace(/^node:/, '');
      return args.kind === 'require-call'
        ? { path: name, namespace: NAMESPACE }
        : { path: `node:${name}`, external: true };
    });
    build.onLoad({ filter: /.*/, namespace: NAMESPACE }, (args) => ({
      contents: `import builtin from 'node:${args.path}';\nmodule.exports = builtin;\n`,
      loader: 'js',
    }));
  },
};

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
    plugins: [nodeBuiltinsAsImports],
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
