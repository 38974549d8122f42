// Bun entry: the same app as src/node.ts, served with Bun.serve on HOST:PORT. `start:bun` runs
// this TypeScript file as it is, with the binary of the `bun` npm package; Bun resolves the
// packages itself (it takes the `node` exports condition, so core signs with node:crypto, which
// Bun implements natively).
import { listeningLines, startUp, StartUpError } from './start-up.js';

// The one Bun API used here, declared rather than taken from Bun's type package.
declare const Bun: {
  serve(options: { port: number; hostname: string; fetch: (request: Request) => Response | Promise<Response> }): {
    port: number;
    stop(closeActiveConnections?: boolean): Promise<void>;
  };
};

let started: ReturnType<typeof startUp>;
try {
  started = startUp(process.env);
} catch (error) {
  console.error(error instanceof StartUpError ? error.message : 'Start-up failed.');
  process.exit(1);
}
const { config, app } = started;
const server = Bun.serve({ port: config.port, hostname: config.host, fetch: (request) => app.fetch(request) });
for (const line of listeningLines(config, server.port, `Bun`)) console.log(line);
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => void server.stop(true).then(() => process.exit(0)));
