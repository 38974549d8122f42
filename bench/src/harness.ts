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

/** Measures `cases` (the first is the baseline) for `rounds` rounds of `iterations` each. */
export async function compare(
  cases: Case[],
  options: { rounds: number; iterations: number; warmup?: number },
): Promise<CaseResult[]> {
  for (const c of cases) await timeCase(c, options.warmup ?? Math.ceil(options.iterations / 5));
  const perRound: number[][] = cases.map(() => []);
  for (let round = 0; round < options.rounds; round++) {
    const order = cases.map((_, i) => (i + round) % cases.length);
    for (const i of order) perRound[i]!.push(await timeCase(cases[i]!, options.iterations));
  }
  return cases.map((c, i) => {
    const ratios = perRound[i]!.map((ns, round) => ns / perRound[0]![round]!);
    return {
      name: c.name,
      nsPerOp: median(perRound[i]!),
      ratio: median(ratios),
      ratioMin: Math.min(...ratios),
      ratioMax: Math.max(...ratios),
    };
  });
}
