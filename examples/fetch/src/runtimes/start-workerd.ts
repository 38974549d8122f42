// `pnpm start:workerd`: bundles src/worker.ts with the Workers conditions and serves it on
// HOST:PORT from workerd, through Miniflare's Node API. The settings become the Worker's bindings;
// this launcher checks them first with the same readConfig, so a bad one stops it (exit code 1)
// before anything listens, as on Node. The Worker reaches the Video API with its own fetch:
// Miniflare's default outbound network allows public and private addresses (127.0.0.1 included).
import { join } from 'node:path';
import { Miniflare } from 'miniflare';
import { CONFIG_VARIABLES } from '../config.js';
import { listeningLines, readStartUpConfig, StartUpError } from '../start-up.js';
import { bundleForRuntime } from './bundle-for-runtime.js';
import { COMPATIBILITY_DATE, COMPATIBILITY_FLAGS } from './compatibility-date.js';
import { EXAMPLE_DIR } from './example-dir.js';

let config: ReturnType<typeof readStartUpConfig>;
try {
  config = readStartUpConfig(process.env);
} catch (error) {
  console.error(error instanceof StartUpError ? error.message : `Start-up failed: ${(error as Error).message}`);
  process.exit(1);
}
// Where to listen is the launcher's business; the Worker gets the app's settings only.
const bindings: Record<string, string> = {};
for (const name of CONFIG_VARIABLES) {
  const value = process.env[name];
  if (value !== undefined && name !== 'PORT' && name !== 'HOST') bindings[name] = value;
}
const mf = new Miniflare({
  modules: true,
  scriptPath: await bundleForRuntime(
    'workerd',
    join(EXAMPLE_DIR, 'src', 'worker.ts'),
    join(EXAMPLE_DIR, 'dist', 'bundles', 'worker.js'),
  ),
  compatibilityDate: COMPATIBILITY_DATE,
  compatibilityFlags: COMPATIBILITY_FLAGS,
  bindings,
  host: config.host,
  port: config.port,
});
const url = await mf.ready;
for (const line of listeningLines(config, Number(url.port), 'workerd (Miniflare)')) console.log(line);
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => void mf.dispose().finally(() => process.exit(0)));
