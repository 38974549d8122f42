// @ts-check
// node miniflare-fetch-once.mjs <worker module>: runs a bundled Worker in workerd through
// Miniflare (the version examples/fetch installs), sends it one GET, prints the answer's body and
// exits. No network: the request goes straight to the Worker, which makes no outbound call.
import { createRequire } from 'node:module';
import { COMPATIBILITY_DATE } from '../../examples/fetch/dist/runtimes/compatibility-date.js';

const scriptPath = process.argv[2];
if (!scriptPath) throw new Error('usage: node miniflare-fetch-once.mjs <worker module>');
const fromExample = createRequire(new URL('../../examples/fetch/package.json', import.meta.url));
const { Miniflare } = await import(fromExample.resolve('miniflare'));
const mf = new Miniflare({ modules: true, scriptPath, compatibilityDate: COMPATIBILITY_DATE });
try {
  const response = await mf.dispatchFetch('http://localhost/');
  process.stdout.write(await response.text());
} finally {
  await mf.dispose();
}
