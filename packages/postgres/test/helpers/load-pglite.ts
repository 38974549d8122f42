import { pathToFileURL } from 'node:url';
import vm from 'node:vm';
import type * as PGliteModule from '@electric-sql/pglite';

/**
 * Loads `@electric-sql/pglite` through Node's own module loader. Jest runs test files in a VM
 * context whose `import()` needs `--experimental-vm-modules`, and PGlite imports Node built-ins
 * (`fs`, `zlib`, …) dynamically; Node's main-context loader runs them as an application would.
 *
 * @example
 * ```ts
 * const { PGlite } = await loadPGlite();
 * const db = await PGlite.create(dir);
 * ```
 */
export async function loadPGlite(): Promise<typeof PGliteModule> {
  const entry = pathToFileURL(require.resolve('@electric-sql/pglite').replace(/index\.cjs$/, 'index.js')).href;
  const load = vm.runInThisContext('(url) => import(url)', {
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  }) as (url: string) => Promise<typeof PGliteModule>;
  return load(entry);
}

/** A PGlite instance, for files outside this package (test/) that cannot name the module's types. */
export type PGliteInstance = PGliteModule.PGlite;
