// Deno entry: the same app as src/node.ts, served with Deno.serve on HOST:PORT. `start:deno`
// bundles it with the `deno` exports condition (the WebCrypto build of @ai-stats-webhooks/core)
// and runs it with the binary of the `deno` npm package, allowed the network and these variables.
import { CONFIG_VARIABLES } from './config.js';
import { listeningLines, startUp, StartUpError } from './start-up.js';

// The few Deno APIs used here, declared rather than taken from Deno's type package.
declare const Deno: {
  env: { get(name: string): string | undefined };
  serve(
    options: { port: number; hostname: string; onListen: (address: { port: number }) => void },
    handler: (request: Request) => Response | Promise<Response>,
  ): { shutdown(): Promise<void> };
  addSignalListener(signal: 'SIGINT' | 'SIGTERM', listener: () => void): void;
  exit(code: number): never;
};

let started: ReturnType<typeof startUp>;
try {
  // One variable at a time: `--allow-env` lists exactly these, so the whole environment stays closed.
  started = startUp(Object.fromEntries(CONFIG_VARIABLES.map((name) => [name, Deno.env.get(name)])));
} catch (error) {
  console.error(error instanceof StartUpError ? error.message : 'Start-up failed.');
  Deno.exit(1);
}
const { config, app } = started;
const server = Deno.serve(
  {
    port: config.port,
    hostname: config.host,
    onListen: ({ port }) => listeningLines(config, port, 'Deno').forEach((line) => console.log(line)),
  },
  (request) => app.fetch(request),
);
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  Deno.addSignalListener(signal, () => void server.shutdown().then(() => Deno.exit(0)));
