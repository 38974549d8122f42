import type { Options } from 'tsup';

/** The one build every package shares: ESM + CJS + .d.ts from src/index.ts, for Node 20 and edge runtimes. */
export const packageBuild: Options = {
  entry: { index: 'src/index.ts' },
  format: ['esm', 'cjs'],
  target: 'es2022',
  dts: true,
  sourcemap: true,
  clean: true,
  treeshake: true,
};
