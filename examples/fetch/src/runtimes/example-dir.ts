import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The example's folder, examples/fetch (the launchers run from dist/runtimes/). */
export const EXAMPLE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
