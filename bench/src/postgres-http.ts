// The PostgreSQL section's HTTP rows: Express servers in this process (one per pipeline), loaded
// by autocannon in a process of its own, 127.0.0.1 only. Run as a process itself, this file is
// that load generator: unlike load.ts, every run signs deliveries under an event-id prefix of its
// own, so no round meets an event id an earlier round stored (which would answer a cheaper
// duplicate).
import { execFile } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import autocannon from 'autocannon';
import express from 'express';
import type { Receiver } from '@ai-stats-webhooks/core';
import { createExpressMiddleware } from '@ai-stats-webhooks/express';
import { SECRET, progressBody } from './deliveries.js';
import { median } from './harness.js';
import { processTreeCpuUs } from './process-tree-cpu.js';

const run = promisify(execFile);
const SELF = fileURLToPath(import.meta.url);

/** One pipeline's acknowledgements per second over HTTP, its ratio to the first (the baseline), and CPU per request. */
export interface HttpAckRow {
  name: string;
  rps: number;
  ratio: number;
  ratioMin: number;
  ratioMax: number;
  /** This process's CPU per request (the HTTP stack and the pipeline), µs, median over rounds. */
  nodeCpuUs: number;
  /** The PostgreSQL server's CPU per request (every backend), µs, median over rounds. */
  postgresCpuUs: number;
  non2xx: number;
  rounds: number[];
}

// The load generator: autocannon for `seconds` with `connections` connections, fresh deliveries.
async function generateLoad([url, connections, seconds, prefix]: string[]): Promise<void> {
  if (!url?.startsWith('http://127.0.0.1:')) throw new Error(`load: only 127.0.0.1 targets, found ${url}`);
  const jobId = progressBody.data.id;
  const template = JSON.stringify(progressBody);
  let n = 0;
  const setupRequest = (request: autocannon.Request) => {
    const id = `${prefix}${String(++n).padStart(jobId.length - prefix!.length, '0')}`;
    const body = template.split(jobId).join(id);
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signature = createHmac('sha256', SECRET).update(`${timestamp}.${body}`).digest('hex');
    const headers = {
      'content-type': 'application/json',
      'x-phaseo-timestamp': timestamp,
      'x-phaseo-signature': signature,
    };
    return { ...request, body, headers };
  };
  const result = await autocannon({
    url,
    connections: Number(connections),
    duration: Number(seconds),
    requests: [{ method: 'POST', setupRequest }],
  });
  const { requests, non2xx, errors } = result;
  process.stdout.write(JSON.stringify({ rps: requests.average, total: requests.total, non2xx, errors }));
}

async function serve(receiver: Receiver): Promise<{ url: string; close: () => Promise<void> }> {
  const app = express();
  app.post('/hook', createExpressMiddleware(receiver));
  const server: Server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const close = async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  };
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, close };
}

let loads = 0;
async function load(url: string, connections: number, seconds: number) {
  const prefix = `G-HTTP${++loads}X`;
  const args = [SELF, url, String(connections), String(seconds), prefix];
  const { stdout } = await run(process.execPath, args, { timeout: (seconds + 30) * 1000 });
  return JSON.parse(stdout) as { rps: number; total: number; non2xx: number; errors: number };
}

/**
 * Requests per second of each pipeline behind Express at `connections` connections: each warmed
 * for `seconds` (unless `warmUp` is false), then `rounds` rounds of `seconds` in an order rotated per round, the ratio to the
 * first taken round by round; CPU per request of this process and of the PostgreSQL server
 * (`postmasterPid`'s process tree) while that pipeline alone is loaded.
 *
 * @example
 * ```ts
 * const rows = await httpAckRows([['memory', memory], ['inbox', inbox]], server.pid, { connections: 50, rounds: 6, seconds: 2, warmUp: true });
 * ```
 */
export async function httpAckRows(
  cases: [string, Receiver][],
  postmasterPid: number,
  options: { connections: number; rounds: number; seconds: number; warmUp: boolean },
): Promise<HttpAckRow[]> {
  const servers = await Promise.all(cases.map(([, receiver]) => serve(receiver)));
  try {
    if (options.warmUp) for (const server of servers) await load(server.url, options.connections, options.seconds);
    const rounds = cases.map(() => ({ rps: [] as number[], node: [] as number[], postgres: [] as number[], bad: 0 }));
    for (let round = 0; round < options.rounds; round++) {
      for (const i of cases.map((_, k) => (k + round) % cases.length)) {
        const cpu = process.cpuUsage();
        const postgres = processTreeCpuUs(postmasterPid);
        const r = await load(servers[i]!.url, options.connections, options.seconds);
        const own = process.cpuUsage(cpu);
        rounds[i]!.rps.push(r.rps);
        rounds[i]!.node.push((own.user + own.system) / Math.max(1, r.total));
        rounds[i]!.postgres.push((processTreeCpuUs(postmasterPid) - postgres) / Math.max(1, r.total));
        rounds[i]!.bad += r.non2xx + r.errors;
      }
    }
    return cases.map(([name], i) => {
      const own = rounds[i]!;
      const ratios = own.rps.map((rps, round) => rps / rounds[0]!.rps[round]!);
      const [ratio, ratioMin, ratioMax] = [median(ratios), Math.min(...ratios), Math.max(...ratios)];
      const cpu = { nodeCpuUs: median(own.node), postgresCpuUs: median(own.postgres) };
      return { name, rps: median(own.rps), ratio, ratioMin, ratioMax, ...cpu, non2xx: own.bad, rounds: own.rps };
    });
  } finally {
    await Promise.all(servers.map((server) => server.close()));
  }
}

if (process.argv[1] === SELF) await generateLoad(process.argv.slice(2));
