import { join } from 'node:path';
import type { Plugin } from 'esbuild';
import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.config.base';

// The edge build is the same source with each Node-only module swapped for its `.web.ts` twin
// (WebCrypto as the default provider, no raw-body), so both entries share one set of types.
const webTwins: Plugin = {
  name: 'web-twins',
  setup(build) {
    build.onResolve({ filter: /\/((default|node)-crypto-provider|node-body-reader)$/ }, (args) => ({
      path: join(args.resolveDir, `${args.path}.web.ts`),
    }));
  },
};

// Cleaning is done by the build script: the two builds below write into one dist/ in parallel.
const shared = { ...packageBuild, clean: false, splitting: false };

export default defineConfig([
  { ...shared, platform: 'node' },
  {
    ...shared,
    entry: { 'index.web': 'src/index.ts' },
    dts: false,
    platform: 'neutral',
    esbuildPlugins: [webTwins],
  },
]);
