// The runtimes section: @ai-stats-webhooks/fetch's handler against a bare fetch handler that reads
// the body and answers JSON, on workerd (Miniflare), Deno and Bun, each server a process of its
// own, loaded by autocannon from another Node process (127.0.0.1 only), in paired rounds.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { SECRET } from './deliveries.js';
import { EXAMPLE_DIR, exampleRuntimes, type Runtime } from './example-runtimes.js';
import { pairedLoad, type PairedResult } from './paired-load.js';
import { startRuntimeServer } from './runtime-server.js';

/** One row: a runtime, a body size and a connection count. */
export interface RuntimeResult extends PairedResult {
  runtime: string;
  /** The crypto provider the library's bundle signs with there (the `exports` conditions decide). */
  provider: string;
  size: string;
  connections: number;
}

const RUNTIMES: Runtime[] = ['workerd', 'deno', 'bun'];
const CONFIGS = [
  { size: '1 KB', bytes: 1024, connections: 10 },
  { size: '4 KB', bytes: 4096, connections: 10 },
] as const;

/** The runtime's name and version, as the row shows it. */
async function runtimeLabel(runtime: Runtime): Promise<string> {
  const fromExample = createRequire(`${EXAMPLE_DIR}package.json`);
  const version = (pkg: string, from = fromExample) =>
    (JSON.parse(readFileSync(from.resolve(`${pkg}/package.json`), 'utf8')) as { version: string }).version;
  if (runtime === 'workerd') {
    const fromMiniflare = createRequire(fromExample.resolve('miniflare/package.json'));
    return `workerd ${version('workerd', fromMiniflare)} (Miniflare ${version('miniflare')})`;
  }
  const { runtimeBinary } = await exampleRuntimes();
  const out = execFileSync(runtimeBinary(runtime, EXAMPLE_DIR), ['--version'], { encoding: 'utf8' });
  return runtime === 'deno' ? (out.split('\n')[0] ?? out).replace('deno', 'Deno') : `Bun ${out.trim()}`;
}

/**
 * Requests per second through the library's fetch handler vs the bare handler, per runtime.
 * `BENCH_RUNTIMES_ONLY="deno, 4 KB"` reruns the rows whose label contains that text.
 */
export async function runtimeBench(quick: boolean): Promise<RuntimeResult[]> {
  const results: RuntimeResult[] = [];
  for (const runtime of RUNTIMES) {
    // A quick run (CI) takes one row per runtime, the 1 KB one.
    for (const config of quick ? CONFIGS.slice(0, 1) : CONFIGS) {
      const only = process.env.BENCH_RUNTIMES_ONLY;
      if (only && !`${runtime}, ${config.size}, ${config.connections}`.includes(only)) continue;
      // Fresh servers per row: the stores the library filled in one row do not slow the next.
      const bare = await startRuntimeServer(runtime, 'bare', SECRET);
      const lib = await startRuntimeServer(runtime, 'library', SECRET);
      try {
        const paired = await pairedLoad(bare, lib, {
          connections: config.connections,
          size: config.bytes,
          rounds: quick ? 2 : 8,
          seconds: 2,
        });
        results.push({
          runtime: await runtimeLabel(runtime),
          // What the bundle's exports conditions pick (test/signature-vectors.runtimes.test.ts checks it).
          provider: runtime === 'bun' ? 'node:crypto' : 'WebCrypto',
          size: config.size,
          connections: config.connections,
          ...paired,
        });
      } finally {
        await bare.close();
        await lib.close();
      }
    }
  }
  return results;
}
