import { defineConfig, type Options } from 'tsup';
import type { Plugin } from 'esbuild';

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

const shared: Options = {
  format: ['esm', 'cjs'],
  target: 'es2022',
  sourcemap: true,
  splitting: false,
  treeshake: true,
};

export default defineConfig([
  { ...shared, entry: { index: 'src/index.ts' }, dts: true, platform: 'node' },
  {
    ...shared,
    entry: { 'index.web': 'src/index.ts' },
    dts: false,
    platform: 'neutral',
    esbuildPlugins: [webCrypto],
  },
]);
