// The runtimes as examples/fetch installs and launches them (one pinned version of each:
// miniflare's workerd, the `deno` and `bun` npm packages), loaded from the example's build.
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** A runtime besides Node. */
export type Runtime = 'workerd' | 'deno' | 'bun';

/** examples/fetch, whose dev dependencies hold the runtimes. */
export const EXAMPLE_DIR = fileURLToPath(new URL('../../examples/fetch/', import.meta.url));

const built = (file: string): Promise<Record<string, unknown>> =>
  import(pathToFileURL(`${EXAMPLE_DIR}dist/runtimes/${file}`).href) as Promise<Record<string, unknown>>;

/** The example's helpers (examples/fetch/src/runtimes/*.ts), as built by `pnpm build`. */
export interface ExampleRuntimes {
  bundleForRuntime(runtime: Runtime, entry: string, outfile: string, nodePaths?: string[]): Promise<string>;
  runtimeBinary(name: 'deno' | 'bun', fromDir: string): string;
  COMPATIBILITY_DATE: string;
}

/**
 * Loads the example's runtime helpers.
 *
 * @example
 * ```ts
 * const { bundleForRuntime } = await exampleRuntimes();
 * ```
 */
export async function exampleRuntimes(): Promise<ExampleRuntimes> {
  const [bundle, binary, date] = await Promise.all([
    built('bundle-for-runtime.js'),
    built('runtime-binary.js'),
    built('compatibility-date.js'),
  ]);
  return { ...bundle, ...binary, ...date } as unknown as ExampleRuntimes;
}

/** Miniflare's constructor, from the example's dependencies (only what this bench uses). */
export interface MiniflareLike {
  ready: Promise<URL>;
  unsafeGetDirectURL(workerName?: string, entrypoint?: string): Promise<URL>;
  dispose(): Promise<void>;
}

/**
 * The `Miniflare` class examples/fetch installs.
 *
 * @example
 * ```ts
 * const Miniflare = await miniflare();
 * const mf = new Miniflare({ modules: true, scriptPath, compatibilityDate, port: 0 });
 * ```
 */
export async function miniflare(): Promise<new (options: Record<string, unknown>) => MiniflareLike> {
  const path = createRequire(`${EXAMPLE_DIR}package.json`).resolve('miniflare');
  const module = (await import(pathToFileURL(path).href)) as {
    Miniflare: new (o: Record<string, unknown>) => MiniflareLike;
  };
  return module.Miniflare;
}
