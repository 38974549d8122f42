import { execFile } from 'node:child_process';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { serve } from '@hono/node-server';
import express from 'express';
import { Hono } from 'hono';
import { createExpressMiddleware } from '@ai-stats-webhooks/express';
import { createFetchHandler } from '@ai-stats-webhooks/fetch';
import { median } from './harness.js';
import { SECRET } from './deliveries.js';

const run = promisify(execFile);
const LOAD = fileURLToPath(new URL('./load.js', import.meta.url));

export interface HttpResult {
  framework: string;
  size: string;
  connections: number;
  bareRps: number;
  libRps: number;
  ratio: number;
  ratioMin: number;
  ratioMax: number;
  libNon2xx: number;
  /** Median server CPU time per request (µs), and the median of lib ÷ bare per round. */
  bareCpuUs: number;
  libCpuUs: number;
  cpuRatio: number;
  /** Every round's figures, in order (in the `--json` output). */
  rounds: { bareRps: number[]; libRps: number[]; bareCpuUs: number[]; libCpuUs: number[] };
  /** False for a configuration measured for information only. */
  goal: boolean;
}

export type Start = () => Promise<{ url: string; close: () => Promise<void> }>;

const listen = (server: Server): Promise<string> =>
  new Promise((resolve) => {
    const done = () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`);
    if (server.listening) done();
    else server.once('listening', done);
  });
const closer = (server: Server) => () =>
  new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

async function serveHono(app: Hono) {
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }) as Server;
  return { url: await listen(server), close: closer(server) };
}

const bareHono: Start = async () => {
  const app = new Hono();
  app.post('/hook', async (c) => {
    await c.req.arrayBuffer();
    return c.json({ ok: true });
  });
  return serveHono(app);
};

// `goal: false` marks a configuration measured for information only.
export const servers: Record<string, { bare: Start; lib: Start; goal?: false }> = {
  'Express 5': {
    bare: async () => {
      const app = express();
      app.post(
        '/hook',
        express.raw({ type: 'application/json', limit: '1mb' }),
        (_req, res) => void res.status(200).json({ ok: true }),
      );
      const server = app.listen(0, '127.0.0.1');
      return { url: await listen(server), close: closer(server) };
    },
    lib: async () => {
      const app = express();
      app.post('/hook', createExpressMiddleware({ secret: SECRET, logger: {} }));
      const server = app.listen(0, '127.0.0.1');
      return { url: await listen(server), close: closer(server) };
    },
  },
  'Hono on @hono/node-server': {
    bare: bareHono,
    lib: async () => {
      const handler = createFetchHandler({ secret: SECRET, logger: {} });
      const app = new Hono();
      app.post('/hook', (c) => handler(c.req.raw, c.env));
      return serveHono(app);
    },
  },
  // The portable path (what Workers, Bun and Deno run): the handler is given the Request only.
  'Hono on @hono/node-server, Request only': {
    goal: false,
    bare: bareHono,
    lib: async () => {
      const handler = createFetchHandler({ secret: SECRET, logger: {} });
      const app = new Hono();
      app.post('/hook', (c) => handler(c.req.raw));
      return serveHono(app);
    },
  },
};

/** One autocannon run in its own process (see load.ts). */
export async function load(url: string, connections: number, seconds: number, size: number) {
  const { stdout } = await run(process.execPath, [LOAD, url, String(connections), String(seconds), String(size)], {
    timeout: (seconds + 30) * 1000,
  });
  return JSON.parse(stdout) as { rps: number; non2xx: number; errors: number; total: number };
}

const OWN_CONFIG = 'BENCH_HTTP_CONFIG';
const SECTION = fileURLToPath(new URL('./section.js', import.meta.url));

async function inFreshProcess(label: string, quick: boolean): Promise<HttpResult[]> {
  const { stdout } = await run(process.execPath, [SECTION, 'http', ...(quick ? ['--quick'] : [])], {
    env: { ...process.env, [OWN_CONFIG]: label },
    maxBuffer: 16 * 1024 * 1024,
    timeout: 10 * 60_000,
  });
  return JSON.parse(stdout) as HttpResult[];
}

/**
 * Requests per second through the library vs the bare framework route. Both servers stay up for
 * a configuration, each is warmed for two seconds, then the rounds alternate which goes first; the
 * ratio is taken per round and the median reported with its range.
 */
export async function httpBench(quick: boolean): Promise<HttpResult[]> {
  // Many short rounds: this VM's speed drifts by tens of percent within a minute, and a paired
  // ratio per round with a median over many rounds is what survives that.
  const seconds = 2;
  const rounds = quick ? 2 : 8;
  const results: HttpResult[] = [];
  for (const [framework, pair] of Object.entries(servers)) {
    for (const [size, bytes] of [
      ['1 KB', 1024],
      ['4 KB', 4096],
    ] as const) {
      // The informational configuration runs at 1 KB only.
      if (pair.goal === false && bytes !== 1024) continue;
      for (const connections of [10, 50]) {
        const label = `${framework}, ${size}, ${connections}`;
        // BENCH_HTTP_ONLY="Express 5, 4 KB, 10" reruns one row (any substring of that label).
        const only = process.env.BENCH_HTTP_ONLY;
        if (only && !label.includes(only)) continue;
        const own = process.env[OWN_CONFIG];
        if (own === undefined) {
          // Each configuration in a fresh process: the stores earlier library servers filled (and
          // the garbage they left) must not slow down the next configuration's measurements.
          results.push(...(await inFreshProcess(label, quick)));
          continue;
        }
        if (own !== label) continue;
        const bare = await pair.bare();
        const lib = await pair.lib();
        try {
          // 2 s each: the library's route takes longer than the bare one to reach full speed.
          await load(bare.url, connections, 2, bytes);
          await load(lib.url, connections, 2, bytes);
          const bareRps: number[] = [];
          const libRps: number[] = [];
          // This process's CPU time per request while only that server is loaded.
          const bareCpu: number[] = [];
          const libCpu: number[] = [];
          let non2xx = 0;
          for (let round = 0; round < rounds; round++) {
            for (const which of round % 2 === 0 ? (['bare', 'lib'] as const) : (['lib', 'bare'] as const)) {
              const cpuBefore = process.cpuUsage();
              const r = await load(which === 'bare' ? bare.url : lib.url, connections, seconds, bytes);
              const cpu = process.cpuUsage(cpuBefore);
              (which === 'bare' ? bareRps : libRps).push(r.rps);
              (which === 'bare' ? bareCpu : libCpu).push((cpu.user + cpu.system) / Math.max(1, r.total));
              if (which === 'lib') non2xx += r.non2xx + r.errors;
            }
          }
          const ratios = libRps.map((l, i) => l / bareRps[i]!);
          const cpuRatios = libCpu.map((l, i) => l / bareCpu[i]!);
          results.push({
            framework,
            size,
            connections,
            bareRps: median(bareRps),
            libRps: median(libRps),
            ratio: median(ratios),
            ratioMin: Math.min(...ratios),
            ratioMax: Math.max(...ratios),
            libNon2xx: non2xx,
            bareCpuUs: median(bareCpu),
            libCpuUs: median(libCpu),
            cpuRatio: median(cpuRatios),
            rounds: { bareRps, libRps, bareCpuUs: bareCpu, libCpuUs: libCpu },
            goal: pair.goal ?? true,
          });
        } finally {
          await bare.close();
          await lib.close();
        }
      }
    }
  }
  return results;
}
