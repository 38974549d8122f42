import type { Plugin } from 'esbuild';
import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.config.base';

// The edge build is the same source with the default crypto provider swapped for WebCrypto,
// so both entries share one set of types and differ only in which provider they bundle.
const webCrypto: Plugin = {
  name: 'web-crypto-default',
  setup(build) {
    build.onResolve({ filter: /\/(default|node)-crypto-provider$/ }, (args) => ({
      path: new URL(`./src/crypto/${args.path.split('/').pop()}.web.ts`, import.meta.url).pathname,
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
    esbuildPlugins: [webCrypto],
  },
]);
