import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.config.base';

export default defineConfig([
  // The mock gateway finds its sample video next to dist/ in both module formats. The build script
  // cleans dist/ once: these two builds write into it in parallel.
  { ...packageBuild, clean: false, shims: true },
  { entry: { cli: 'src/cli.ts' }, format: ['esm'], target: 'es2022', sourcemap: true, shims: true },
]);
