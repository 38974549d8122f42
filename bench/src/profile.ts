// CPU profile of one benchmark target under load, summarised per request:
//   node dist/profile.js <target> [--size 1024] [--connections 10] [--seconds 5]
// Targets: `<framework>:bare` or `<framework>:lib` for each HTTP configuration of http-bench
// (express, hono, hono-request), `receiver` (receiver.handle() on fresh 4.4 KB deliveries) and
// `hand-written` (the path the receiver row is compared with, on the same deliveries).
// Two tables: self time per package, then per source module of this repository (through the
// packages' source maps) with native calls (HMAC, JSON.parse) counted in the module that made them:
// for `receiver`, the time of each stage; for `hand-written`, of each of its steps.
// The profiler starts after a warm-up and stops before teardown, so start-up work is not counted;
// the .cpuprofile is written to bench/profiles/ for Chrome DevTools or speedscope.
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import type { Profiler, Runtime } from 'node:inspector';
import { parseArgs } from 'node:util';
import { createReceiver } from '@ai-stats-webhooks/core';
import { SECRET, freshProgressDeliveries } from './deliveries.js';
import { load, servers } from './http-bench.js';
import { handWritten } from './receiver-bench.js';
import { ownModule } from './source-module.js';

const FRAMEWORKS: Record<string, string> = {
  express: 'Express 5',
  hono: 'Hono on @hono/node-server',
  'hono-request': 'Hono on @hono/node-server, Request only',
};

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    size: { type: 'string', default: '1024' },
    connections: { type: 'string', default: '10' },
    seconds: { type: 'string', default: '5' },
  },
});
const target = positionals[0] ?? '';
const usage = `usage: node dist/profile.js <${Object.keys(FRAMEWORKS).join('|')}>:<bare|lib> | receiver | hand-written [--size N] [--connections N] [--seconds N]`;

const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 100 });

let operations: number;
let profile: Profiler.Profile;
if (target === 'receiver' || target === 'hand-written') {
  const count = 40_000;
  const deliveries = freshProgressDeliveries(count, String(Math.floor(Date.now() / 1000)));
  const receiver = createReceiver({ secret: SECRET, logger: {} });
  receiver.onAny(() => undefined);
  const direct = handWritten(deliveries);
  const half = count / 2;
  for (let i = 0; i < count; i++) {
    if (i === half) await session.post('Profiler.start');
    if (target === 'hand-written') {
      await direct.run();
      continue;
    }
    const d = deliveries[i]!;
    const response = await receiver.handle({ method: 'POST', headers: d.headers, rawBody: d.raw });
    if (response.status !== 200) throw new Error(`unexpected ${response.status}: ${response.body}`);
  }
  ({ profile } = await session.post('Profiler.stop'));
  operations = half;
} else {
  const [framework, which] = target.split(':');
  const pair = servers[FRAMEWORKS[framework ?? ''] ?? ''];
  if (!pair || (which !== 'bare' && which !== 'lib')) throw new Error(usage);
  const size = Number(values.size);
  const connections = Number(values.connections);
  const server = await pair[which]();
  try {
    await load(server.url, connections, 2, size);
    await session.post('Profiler.start');
    const result = await load(server.url, connections, Number(values.seconds), size);
    ({ profile } = await session.post('Profiler.stop'));
    operations = result.total;
    if (result.non2xx + result.errors > 0) throw new Error(`${result.non2xx + result.errors} failed requests`);
  } finally {
    await server.close();
  }
}

const dir = new URL('../profiles/', import.meta.url);
mkdirSync(dir, { recursive: true });
const file = new URL(`${target.replace(':', '-')}.cpuprofile`, dir);
writeFileSync(file, JSON.stringify(profile));

// Self time per package (or per built-in), in µs per operation.
const group = (frame: Runtime.CallFrame): string => {
  if (!frame.url) return frame.functionName.startsWith('(') ? frame.functionName : `native ${frame.functionName}`;
  const pkg = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(frame.url);
  if (pkg) return pkg[1]!;
  const ours = /\/packages\/([^/]+)\//.exec(frame.url);
  if (ours) return `@ai-stats-webhooks/${ours[1]}`;
  return frame.url.replace(/^.*\//, '');
};
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const totals = new Map<string, number>();
// The first and last samples span the Profiler.start and .stop calls themselves: left out.
const samples = profile.samples!;
for (let i = 1; i < samples.length - 1; i++) {
  const key = group(byId.get(samples[i]!)!.callFrame);
  totals.set(key, (totals.get(key) ?? 0) + profile.timeDeltas![i]!);
}
const rows = [...totals].sort((a, b) => b[1] - a[1]);
const busy = rows.filter(([key]) => key !== '(idle)').reduce((sum, [, us]) => sum + us, 0);
console.log(`${target}: ${operations} operations, ${(busy / operations).toFixed(1)} µs busy per operation`);
for (const [key, us] of rows.slice(0, 20)) {
  const share = key === '(idle)' ? '' : `${((us / busy) * 100).toFixed(1)} %`;
  console.log(`${(us / operations).toFixed(2).padStart(9)} µs  ${share.padStart(7)}  ${key}`);
}

// Per source module of this repository: each sample goes to the nearest frame on its stack that is
// ours (a package through its source map, or a bench/ function), so natives count in their caller.
const parents = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
const moduleOf = new Map<number, string>();
const attribute = (id: number): string => {
  let key = moduleOf.get(id);
  if (key !== undefined) return key;
  const node = byId.get(id)!;
  const parent = parents.get(id);
  key =
    ownModule(node.callFrame) ??
    (parent === undefined || parent === profile.nodes[0]!.id ? group(node.callFrame) : attribute(parent));
  moduleOf.set(id, key);
  return key;
};
const modules = new Map<string, number>();
for (let i = 1; i < samples.length - 1; i++) {
  const key = attribute(samples[i]!);
  modules.set(key, (modules.get(key) ?? 0) + profile.timeDeltas![i]!);
}
console.log('\nper source module (natives counted in the module that called them):');
for (const [key, us] of [...modules].sort((a, b) => b[1] - a[1]).slice(0, 25)) {
  if (key === '(idle)') continue;
  console.log(
    `${(us / operations).toFixed(2).padStart(9)} µs  ${`${((us / busy) * 100).toFixed(1)} %`.padStart(7)}  ${key}`,
  );
}
console.log(`profile: ${file.pathname}`);
process.exit(0);
