import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSeededRandom } from '@ai-stats-webhooks/testing';

/** Options of {@link startFaultyVideoApi}. */
export interface FaultyVideoApiOptions {
  /** The real API's origin, e.g. the mock gateway's `url` (`http://127.0.0.1:<port>`). */
  readonly target: string;
  /** Probability (0–1) that a `GET /v1/videos/{id}` is answered with a 5xx instead of forwarded. */
  readonly rate: number;
  /** At most this many 5xx per job id, so that no event can fail on them alone until it is dead-lettered. */
  readonly maxFaultsPerJob: number;
  /** Seed of the dice. Default 1. */
  readonly seed?: number;
}

/** What {@link startFaultyVideoApi} counted. */
export interface FaultyVideoApiCounts {
  /** `GET /v1/videos/{id}` requests (reconciliation and polling reads). */
  reads: number;
  /** Reads answered with a 5xx by the proxy. */
  faults: number;
  /** Requests forwarded to the target. */
  forwarded: number;
}

/** A running faulty proxy in front of the Video API. */
export interface FaultyVideoApi {
  /** `http://127.0.0.1:<port>/v1`, what `AI_STATS_BASE_URL` takes. */
  readonly baseUrl: string;
  readonly counts: Readonly<FaultyVideoApiCounts>;
  /** Changes the fault probability at run time (0 turns the faults off). */
  setRate(rate: number): void;
  close(): Promise<void>;
}

const READ = /^\/v1\/videos\/([^/?]+)$/;
// 500, 502, 503 and 504 in turn: the kit must treat every one as "retry later".
const STATUSES = [503, 502, 500, 504] as const;

/**
 * A proxy on 127.0.0.1 in front of the Video API that answers some `GET /v1/videos/{id}` reads
 * with a 5xx (seeded dice, capped per job) and forwards everything else as it is.
 *
 * @example
 * ```ts
 * const api = await startFaultyVideoApi({ target: gateway.url, rate: 0.3, maxFaultsPerJob: 2 });
 * env.AI_STATS_BASE_URL = api.baseUrl;
 * ```
 */
export async function startFaultyVideoApi(options: FaultyVideoApiOptions): Promise<FaultyVideoApi> {
  const random = createSeededRandom(options.seed ?? 1);
  const target = new URL(options.target);
  const perJob = new Map<string, number>();
  const counts: FaultyVideoApiCounts = { reads: 0, faults: 0, forwarded: 0 };
  let rate = options.rate;

  const fault = (req: IncomingMessage, res: ServerResponse): boolean => {
    const match = req.method === 'GET' ? READ.exec(new URL(req.url ?? '/', target).pathname) : null;
    if (!match) return false;
    counts.reads++;
    const jobId = decodeURIComponent(match[1]!);
    const used = perJob.get(jobId) ?? 0;
    if (used >= options.maxFaultsPerJob || !(random() < rate)) return false;
    perJob.set(jobId, used + 1);
    const status = STATUSES[counts.faults++ % STATUSES.length]!;
    req.resume();
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: 'upstream_error', message: `injected ${status} (chaos)` }));
    return true;
  };

  const server = createServer((req, res) => {
    if (fault(req, res)) return;
    counts.forwarded++;
    const upstream = request(
      { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'bad_gateway' }));
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    counts,
    setRate: (next) => void (rate = next),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
