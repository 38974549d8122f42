// `pnpm start:bun`: runs src/bun.ts as it is with the `bun` npm package's binary (Bun transpiles
// TypeScript and resolves the workspace packages itself; nothing to build).
import { join } from 'node:path';
import { EXAMPLE_DIR } from './example-dir.js';
import { runForeground } from './run-foreground.js';
import { runtimeBinary } from './runtime-binary.js';

// --no-install: never fetch a missing package from the registry at run time.
runForeground(runtimeBinary('bun', EXAMPLE_DIR), ['--no-install', join(EXAMPLE_DIR, 'src', 'bun.ts')], {
  DO_NOT_TRACK: '1',
});
