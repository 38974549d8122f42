import { defineConfig } from 'tsup';

export default defineConfig([
  {
    entry: { index: 'src/index.ts' },
    format: ['esm', 'cjs'],
    target: 'es2022',
    dts: true,
    sourcemap: true,
    clean: true,
    treeshake: true,
    // The mock gateway finds its sample video next to dist/ in both module formats.
    shims: true,
  },
  { entry: { cli: 'src/cli.ts' }, format: ['esm'], target: 'es2022', sourcemap: true, shims: true },
]);
