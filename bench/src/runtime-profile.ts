// CPU profile of one runtimes-section server under load, summarised per request:
//   node --experimental-websocket dist/runtime-profile.js <workerd|deno|bun>:<bare|library>
//     [--size 1024] [--connections 10] [--seconds 5]
// workerd and Deno are profiled over their V8 inspector (127.0.0.1) after a 2 s warm-up; Bun
// writes its own profile (--cpu-prof) for its whole run, warm-up included (so its requests are
// counted from the warm-up on, and its event loop's waiting shows as "(anonymous)" native time,
// not "(idle)": read Bun's shares of the library's stages, not its busy total). The .cpuprofile goes
// to bench/profiles/ (Chrome DevTools, speedscope); the summary gives self time per function and
// the library's stages inclusive, in µs per request.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Profiler } from 'node:inspector';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { SECRET } from './deliveries.js';
import type { Runtime } from './example-runtimes.js';
import { load } from './http-bench.js';
import { freePort } from './free-port.js';
import { startRuntimeServer } from './runtime-server.js';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    size: { type: 'string', default: '1024' },
    connections: { type: 'string', default: '10' },
    seconds: { type: 'string', default: '5' },
  },
});
const [runtime, worker] = (positionals[0] ?? '').split(':') as [Runtime, 'bare' | 'library'];
if (!['workerd', 'deno', 'bun'].includes(runtime) || !['bare', 'library'].includes(worker)) {
  throw new Error('usage: node --experimental-websocket dist/runtime-profile.js <workerd|deno|bun>:<bare|library>');
}
const dir = fileURLToPath(new URL('../profiles/', import.meta.url));
mkdirSync(dir, { recursive: true });
const file = `${dir}${runtime}-${worker}.cpuprofile`;

/** Minimal Chrome DevTools Protocol session over the inspector's WebSocket (Node's --experimental-websocket). */
async function inspectorSession(port: number) {
  const targets = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as {
    id: string;
    webSocketDebuggerUrl: string;
  }[];
  // workerd lists one target per Worker (Miniflare's own ones too); ours is core:user:.
  const target = targets.find((t) => t.id === 'core:user:') ?? targets[0];
  if (!target) throw new Error(`no inspector target on 127.0.0.1:${port}`);
  const socket = new WebSocket(target.webSocketDebuggerUrl);
  await new Promise((resolve, reject) => {
    socket.onopen = resolve;
    socket.onerror = reject;
  });
  let id = 0;
  const pending = new Map<number, (result: unknown) => void>();
  socket.onmessage = (message) => {
    const { id: answered, result } = JSON.parse(String(message.data)) as { id?: number; result?: unknown };
    if (answered !== undefined) pending.get(answered)?.(result);
  };
  const post = <T>(method: string, params: object = {}) =>
    new Promise<T>((resolve) => {
      pending.set(++id, resolve as (result: unknown) => void);
      socket.send(JSON.stringify({ id, method, params }));
    });
  return { post, close: () => socket.close() };
}

const size = Number(values.size);
const connections = Number(values.connections);
const inspectorPort = await freePort();
const server = await startRuntimeServer(runtime, worker, SECRET, { inspectorPort, cpuProfile: file });
let profile: Profiler.Profile;
let requests: number;
try {
  const warm = await load(server.url, connections, 2, size);
  if (runtime === 'bun') {
    requests = warm.total + (await load(server.url, connections, Number(values.seconds), size)).total;
  } else {
    const session = await inspectorSession(inspectorPort);
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 100 });
    await session.post('Profiler.start');
    requests = (await load(server.url, connections, Number(values.seconds), size)).total;
    ({ profile } = await session.post<{ profile: Profiler.Profile }>('Profiler.stop'));
    session.close();
    writeFileSync(file, JSON.stringify(profile));
  }
} finally {
  await server.close();
}
profile ??= JSON.parse(readFileSync(file, 'utf8')) as Profiler.Profile;
summarise(profile, requests);
console.log(`profile: ${file}`);
process.exit(0);

/** Self time per function and the library's stages (inclusive), in µs per request. */
function summarise(p: Profiler.Profile, count: number): void {
  const byId = new Map(p.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of p.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const name = (id: number) => byId.get(id)!.callFrame.functionName || '(anonymous)';
  const self = new Map<string, number>();
  const stages = new Map<string, number>();
  const STAGES = ['acceptBody', 'verifyDelivery', 'hmacSha256Hex', 'parseDelivery', 'claimAndProcess', 'Response'];
  const samples = p.samples ?? [];
  for (let i = 1; i < samples.length - 1; i++) {
    const us = p.timeDeltas?.[i] ?? 0;
    self.set(name(samples[i]!), (self.get(name(samples[i]!)) ?? 0) + us);
    const seen = new Set<string>();
    for (let at: number | undefined = samples[i]; at !== undefined; at = parent.get(at)) {
      const stage = name(at);
      if (STAGES.includes(stage) && !seen.has(stage)) stages.set(stage, (stages.get(stage) ?? 0) + us);
      seen.add(stage);
    }
  }
  const busy = [...self].filter(([key]) => key !== '(idle)').reduce((sum, [, us]) => sum + us, 0);
  const line = (us: number, key: string) =>
    `${(us / count).toFixed(2).padStart(9)} µs  ${`${((us / busy) * 100).toFixed(1)} %`.padStart(7)}  ${key}`;
  console.log(`${runtime}:${worker}: ${count} requests, ${(busy / count).toFixed(1)} µs busy per request`);
  console.log('self time, top 15:');
  for (const [key, us] of [...self]
    .filter(([k]) => k !== '(idle)')
    .sort((a, b) => b[1] - a[1])
    .slice(0, 15))
    console.log(line(us, key));
  if (worker === 'library') {
    console.log('stages, inclusive:');
    for (const stage of STAGES) console.log(line(stages.get(stage) ?? 0, stage));
  }
}
