// `pnpm start:deno`: bundles src/deno.ts for Deno and runs it with the `deno` npm package's binary.
import { join } from 'node:path';
import { CONFIG_VARIABLES } from '../config.js';
import { bundleForRuntime } from './bundle-for-runtime.js';
import { EXAMPLE_DIR } from './example-dir.js';
import { runForeground } from './run-foreground.js';
import { runtimeBinary } from './runtime-binary.js';

const script = await bundleForRuntime(
  'deno',
  join(EXAMPLE_DIR, 'src', 'deno.ts'),
  join(EXAMPLE_DIR, 'dist', 'bundles', 'deno.js'),
);
runForeground(
  runtimeBinary('deno', EXAMPLE_DIR),
  [
    'run',
    // Listen, and reach the Video API; read the app's own variables and nothing else.
    '--allow-net',
    `--allow-env=${CONFIG_VARIABLES.join(',')}`,
    // A plain script: no deno.json, no lockfile.
    '--no-config',
    '--no-lock',
    '--no-prompt',
    script,
  ],
  { DENO_NO_UPDATE_CHECK: '1' },
);
