// A/B of receiver.handle(): this checkout's core against another build of it, in one process,
// interleaved rounds, each against the hand-written path measured in the same rounds.
//   git worktree add /tmp/base <rev> && (cd /tmp/base && npx -y pnpm@10.34.8 install --offline \
//     && npx -y pnpm@10.34.8 --dir packages/core run build)
//   node dist/receiver-ab.js --baseline /tmp/base/packages/core/dist/index.js [--rounds 20] [--block 2000]
// Each case gets its own receiver and its own slice of fresh deliveries, so every handle() call
// sees a new event id and a new job, as in bench row "receiver". Time is CPU time (user + system:
// GC on helper threads counts), per block of operations; rounds rotate the order of the cases.
// The figure to read is "B ÷ A": the median of the per-round ratios, with their quartiles.
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import * as current from '@ai-stats-webhooks/core';
import { median, type Case } from './harness.js';
import { handWritten } from './receiver-bench.js';
import { SECRET, freshProgressDeliveries } from './deliveries.js';

const { values } = parseArgs({
  options: {
    baseline: { type: 'string' },
    rounds: { type: 'string', default: '20' },
    block: { type: 'string', default: '2000' },
  },
});
if (values.baseline === undefined) throw new Error('usage: node dist/receiver-ab.js --baseline <core dist/index.js>');
const baseline = (await import(pathToFileURL(values.baseline).href)) as typeof current;
const rounds = Number(values.rounds);
const block = Number(values.block);
const warmup = 5_000;

const perCase = warmup + rounds * block;
const deliveries = freshProgressDeliveries(perCase, String(Math.floor(Date.now() / 1000)));

function handleCase(name: string, core: typeof current): Case {
  const receiver = core.createReceiver({ secret: SECRET, logger: {} });
  receiver.onAny(() => undefined);
  let next = 0;
  return {
    name,
    run: async () => {
      const delivery = deliveries[next++ % perCase]!;
      const response = await receiver.handle({ method: 'POST', headers: delivery.headers, rawBody: delivery.raw });
      if (response.status !== 200) throw new Error(`unexpected ${response.status} ${response.body}`);
    },
  };
}

const cases = [handWritten(deliveries), handleCase('A: baseline', baseline), handleCase('B: this checkout', current)];
for (const each of cases) await timeBlock(each, warmup);
const cpu: number[][] = cases.map(() => []);
for (let round = 0; round < rounds; round++) {
  for (let k = 0; k < cases.length; k++) {
    const i = (k + round) % cases.length;
    cpu[i]!.push(await timeBlock(cases[i]!, block));
  }
}
const hand = cpu[0]!;
for (const [i, each] of cases.entries()) {
  const ratio = spread(cpu[i]!.map((ns, round) => ns / hand[round]!));
  console.log(
    `${each.name.padEnd(44)} ${(median(cpu[i]!) / 1000).toFixed(2).padStart(6)} µs CPU  ${ratio.text} of hand-written`,
  );
}
console.log(`B ÷ A: ${spread(cpu[2]!.map((ns, round) => ns / cpu[1]![round]!)).text} (${rounds} rounds of ${block})`);

// CPU time (user + system, so GC on helper threads counts) per operation of one block.
async function timeBlock(each: Case, operations: number): Promise<number> {
  const start = process.cpuUsage();
  for (let i = 0; i < operations; i++) await each.run();
  const used = process.cpuUsage(start);
  return ((used.user + used.system) * 1000) / operations;
}

function spread(ratios: number[]): { text: string } {
  const sorted = [...ratios].sort((x, y) => x - y);
  const q = (f: number) => sorted[Math.floor(f * (sorted.length - 1))]!.toFixed(3);
  return { text: `${median(ratios).toFixed(3)}× (quartiles ${q(0.25)}–${q(0.75)})` };
}
