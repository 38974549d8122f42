// The HTTP section's method for two servers that are other processes: both warmed for 2 s, then
// rounds of autocannon that alternate which goes first, the ratio taken round by round, and each
// server's CPU time per request read from its process tree.
import { load } from './http-bench.js';
import { median } from './harness.js';
import { processTreeCpuUs } from './process-tree-cpu.js';

/** A server under load: where to send it, and whose CPU time is its work. */
export interface LoadTarget {
  url: string;
  pid: number;
}

/** Medians, ranges and every round of one bare-vs-library pair. */
export interface PairedResult {
  bareRps: number;
  libRps: number;
  ratio: number;
  ratioMin: number;
  ratioMax: number;
  libNon2xx: number;
  bareCpuUs: number;
  libCpuUs: number;
  cpuRatio: number;
  rounds: { bareRps: number[]; libRps: number[]; bareCpuUs: number[]; libCpuUs: number[] };
}

/**
 * Loads `bare` and `lib` in `rounds` paired rounds of `seconds` each (after a 2 s warm-up of each),
 * alternating which goes first, with `connections` connections and `size`-byte deliveries.
 *
 * @example
 * ```ts
 * const result = await pairedLoad(bare, lib, { connections: 10, size: 4096, rounds: 8, seconds: 2 });
 * ```
 */
export async function pairedLoad(
  bare: LoadTarget,
  lib: LoadTarget,
  options: { connections: number; size: number; rounds: number; seconds: number },
): Promise<PairedResult> {
  const { connections, size, rounds, seconds } = options;
  await load(bare.url, connections, 2, size);
  await load(lib.url, connections, 2, size);
  const rps = { bare: [] as number[], lib: [] as number[] };
  const cpu = { bare: [] as number[], lib: [] as number[] };
  let libNon2xx = 0;
  for (let round = 0; round < rounds; round++) {
    for (const which of round % 2 === 0 ? (['bare', 'lib'] as const) : (['lib', 'bare'] as const)) {
      const target = which === 'bare' ? bare : lib;
      const before = processTreeCpuUs(target.pid);
      const r = await load(target.url, connections, seconds, size);
      rps[which].push(r.rps);
      cpu[which].push((processTreeCpuUs(target.pid) - before) / Math.max(1, r.total));
      if (which === 'lib') libNon2xx += r.non2xx + r.errors;
    }
  }
  const ratios = rps.lib.map((l, i) => l / rps.bare[i]!);
  return {
    bareRps: median(rps.bare),
    libRps: median(rps.lib),
    ratio: median(ratios),
    ratioMin: Math.min(...ratios),
    ratioMax: Math.max(...ratios),
    libNon2xx,
    bareCpuUs: median(cpu.bare),
    libCpuUs: median(cpu.lib),
    cpuRatio: median(cpu.lib.map((l, i) => l / cpu.bare[i]!)),
    rounds: { bareRps: rps.bare, libRps: rps.lib, bareCpuUs: cpu.bare, libCpuUs: cpu.lib },
  };
}
