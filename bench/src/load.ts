// The load generator, run as its own process: autocannon against 127.0.0.1 only, for a bounded
// duration, each request a freshly signed delivery with a new event id.
import { createHmac } from 'node:crypto';
import autocannon from 'autocannon';
import { SECRET, bodyOfSize } from './deliveries.js';

const [url, connections, seconds, size] = process.argv.slice(2);
if (!url?.startsWith('http://127.0.0.1:')) throw new Error(`load: only 127.0.0.1 targets, found ${url}`);
const template = bodyOfSize(Number(size), 'evt_LOAD_000000000000');
let n = 0;
const instance = autocannon(
  {
    url,
    connections: Number(connections),
    duration: Number(seconds),
    pipelining: 1,
    requests: [
      {
        method: 'POST',
        setupRequest: (request) => {
          const id = `evt_LOAD_${String(++n).padStart(12, '0')}`;
          const body = template.replace('evt_LOAD_000000000000', id);
          const timestamp = String(Math.floor(Date.now() / 1000));
          return {
            ...request,
            body,
            headers: {
              'content-type': 'application/json',
              'x-phaseo-timestamp': timestamp,
              'x-phaseo-signature': createHmac('sha256', SECRET).update(`${timestamp}.${body}`).digest('hex'),
            },
          };
        },
      },
    ],
  },
  (error, result) => {
    if (error) throw error;
    process.stdout.write(
      JSON.stringify({
        rps: result.requests.average,
        p50: result.latency.p50,
        p99: result.latency.p99,
        non2xx: result.non2xx,
        errors: result.errors,
        total: result.requests.total,
      }),
    );
  },
);
void instance;
