// Where the `deno` and `bun` npm packages keep their executables. Both ship it in a platform
// package (an optional dependency) and link it into place from a postinstall script, which pnpm
// does not run unless allowed; so the path is resolved here, from the platform package itself.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { arch, platform } from 'node:os';
import { dirname, join } from 'node:path';

const PLATFORM_PACKAGES: Record<'deno' | 'bun', Record<string, [pkg: string, file: string]>> = {
  deno: {
    'linux-x64': ['@deno/linux-x64-glibc', 'deno'],
    'linux-arm64': ['@deno/linux-arm64-glibc', 'deno'],
    'darwin-x64': ['@deno/darwin-x64', 'deno'],
    'darwin-arm64': ['@deno/darwin-arm64', 'deno'],
  },
  bun: {
    'linux-x64': ['@oven/bun-linux-x64', 'bin/bun'],
    'linux-arm64': ['@oven/bun-linux-aarch64', 'bin/bun'],
    'darwin-x64': ['@oven/bun-darwin-x64', 'bin/bun'],
    'darwin-arm64': ['@oven/bun-darwin-aarch64', 'bin/bun'],
  },
};

/**
 * The absolute path of the `deno` or `bun` executable installed with its npm package, as
 * resolved from the package folder `fromDir` (one that depends on it, e.g. examples/fetch).
 *
 * @example
 * ```ts
 * spawn(runtimeBinary('deno', EXAMPLE_DIR), ['run', '--allow-net', 'dist/bundles/deno.js']);
 * ```
 */
export function runtimeBinary(name: 'deno' | 'bun', fromDir: string): string {
  const key = `${platform()}-${arch()}`;
  const found = PLATFORM_PACKAGES[name][key];
  if (!found) {
    throw new Error(`${name}: expected one of ${Object.keys(PLATFORM_PACKAGES[name]).join(', ')}, found ${key}.`);
  }
  const [pkg, file] = found;
  // The platform package is a dependency of the runtime's package, so it resolves from there.
  const fromPackage = createRequire(join(fromDir, 'package.json'));
  const fromRuntime = createRequire(fromPackage.resolve(`${name}/package.json`));
  let path: string;
  try {
    path = join(dirname(fromRuntime.resolve(`${pkg}/package.json`)), file);
  } catch {
    throw new Error(`${name}: expected ${pkg} to be installed with ${name}, found none. Fix: pnpm install.`);
  }
  if (!existsSync(path)) throw new Error(`${name}: expected the executable at ${path}, found none.`);
  return path;
}
