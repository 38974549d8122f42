// Timing harness: every figure is a ratio against a baseline measured in the same round; rounds
// rotate the order of the cases, and the report gives medians with the spread across rounds.

export interface Case {
  readonly name: string;
  /** One operation; may return a promise. */
  readonly run: () => unknown;
}

export interface CaseResult {
  readonly name: string;
  /** Median nanoseconds per operation over the rounds. */
  readonly nsPerOp: number;
  /** Median of (this case ÷ baseline) per round, and its range. */
  readonly ratio: number;
  readonly ratioMin: number;
  readonly ratioMax: number;
  /** Nanoseconds per operation in each round, in round order. */
  readonly rounds: readonly number[];
}

/** Median and range of `a ÷ b` taken round by round (both measured in the same rounds). */
export function pairedRatio(a: CaseResult, b: CaseResult): { ratio: number; min: number; max: number } {
  const ratios = a.rounds.map((ns, round) => ns / b.rounds[round]!);
  return { ratio: median(ratios), min: Math.min(...ratios), max: Math.max(...ratios) };
}

export const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

async function timeCase(c: Case, iterations: number): Promise<number> {
  const probe = c.run();
  const isAsync = probe instanceof Promise;
  if (isAsync) await probe;
  const start = process.hrtime.bigint();
  if (isAsync) for (let i = 0; i < iterations; i++) await c.run();
  else for (let i = 0; i < iterations; i++) c.run();
  return Number(process.hrtime.bigint() - start) / iterations;
}

export interface CompareOptions {
  readonly rounds: number;
  /** Target duration of one timed run of one case; its iteration count is calibrated from this. */
  readonly roundMs: number;
  /** Each case runs at least this long before timing, so every case is measured fully optimised. */
  readonly warmupMs: number;
  /** A cap on the operations of one case (warm-up included), for cases that consume fresh inputs. */
  readonly maxOperations?: number;
}

/**
 * Measures `cases` (the first is the baseline): each is warmed up for `warmupMs`, its iteration
 * count calibrated so one run lasts about `roundMs`, then `rounds` rounds run every case once in
 * an order rotated per round.
 */
export async function compare(cases: Case[], options: CompareOptions): Promise<CaseResult[]> {
  const budget = options.maxOperations ?? Number.POSITIVE_INFINITY;
  const iterations: number[] = [];
  for (const c of cases) {
    let done = 0;
    let batch = 16;
    let elapsedNs = 0;
    while (elapsedNs < options.warmupMs * 1e6 && done + batch <= budget / 4) {
      elapsedNs += (await timeCase(c, batch)) * batch;
      done += batch + 1;
      batch = Math.min(batch * 2, 4096);
    }
    const nsPerOp = elapsedNs / Math.max(1, done);
    const wanted = Math.ceil((options.roundMs * 1e6) / Math.max(1, nsPerOp));
    iterations.push(Math.max(1, Math.min(wanted, Math.floor((budget - done) / options.rounds) - 1)));
  }
  const perRound: number[][] = cases.map(() => []);
  for (let round = 0; round < options.rounds; round++) {
    const order = cases.map((_, i) => (i + round) % cases.length);
    for (const i of order) perRound[i]!.push(await timeCase(cases[i]!, iterations[i]!));
  }
  return cases.map((c, i) => {
    const ratios = perRound[i]!.map((ns, round) => ns / perRound[0]![round]!);
    return {
      name: c.name,
      nsPerOp: median(perRound[i]!),
      ratio: median(ratios),
      ratioMin: Math.min(...ratios),
      ratioMax: Math.max(...ratios),
      rounds: perRound[i]!,
    };
  });
}
