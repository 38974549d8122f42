// Bytes allocated per operation, by source module and function, from V8's sampling heap profiler
// (objects collected by the young and old GC included: what the GC has to deal with):
//   node dist/alloc-profile.js receiver | nothing | hand-written
// `receiver` is receiver.handle() with memory stores on fresh 4.4 KB deliveries (bench row
// "receiver"), `nothing` the same with stores that keep nothing, `hand-written` the path both are
// compared with. Each allocation counts in the nearest frame on its stack that is ours (through
// the packages' source maps), so Node's and V8's own allocations count in their caller.
import { Session } from 'node:inspector/promises';
import type { HeapProfiler } from 'node:inspector';
import { createReceiver, type Receiver } from '@ai-stats-webhooks/core';
import { SECRET, freshProgressDeliveries } from './deliveries.js';
import { handWritten, keepNoClaims, keepNoJobs } from './receiver-bench.js';
import { ownModule } from './source-module.js';

const target = process.argv[2] ?? '';
if (!['receiver', 'nothing', 'hand-written'].includes(target)) {
  throw new Error('usage: node dist/alloc-profile.js receiver | nothing | hand-written');
}
const count = 40_000;
const deliveries = freshProgressDeliveries(count, String(Math.floor(Date.now() / 1000)));
const direct = handWritten(deliveries);
const receiver: Receiver = createReceiver({
  secret: SECRET,
  logger: {},
  ...(target === 'nothing' ? { dedupe: keepNoClaims, jobs: keepNoJobs } : {}),
});
receiver.onAny(() => undefined);

async function runOne(i: number): Promise<void> {
  if (target === 'hand-written') return void direct.run();
  const d = deliveries[i]!;
  const response = await receiver.handle({ method: 'POST', headers: d.headers, rawBody: d.raw });
  if (response.status !== 200) throw new Error(`unexpected ${response.status}: ${response.body}`);
}

// The first half warms up; the second half is sampled.
const session = new Session();
session.connect();
const half = count / 2;
for (let i = 0; i < half; i++) await runOne(i);
await session.post('HeapProfiler.startSampling', {
  samplingInterval: 256,
  includeObjectsCollectedByMajorGC: true,
  includeObjectsCollectedByMinorGC: true,
});
for (let i = half; i < count; i++) await runOne(i);
const { profile } = await session.post('HeapProfiler.stopSampling');

const totals = new Map<string, number>();
const visit = (node: HeapProfiler.SamplingHeapProfileNode, owner: string): void => {
  const own = ownModule(node.callFrame);
  const key = own === undefined ? owner : `${own} ${node.callFrame.functionName || '(anonymous)'}`;
  if (node.selfSize > 0) totals.set(key, (totals.get(key) ?? 0) + node.selfSize);
  for (const child of node.children) visit(child, key);
};
visit(profile.head, '(outside this repository)');
const total = [...totals.values()].reduce((sum, bytes) => sum + bytes, 0);
console.log(`${target}: ${(total / half).toFixed(0)} bytes allocated per operation (${half} operations sampled)`);
for (const [key, bytes] of [...totals].sort((a, b) => b[1] - a[1]).slice(0, 20)) {
  console.log(`${(bytes / half).toFixed(0).padStart(8)} B  ${key}`);
}
process.exit(0);
