// node dist/workerd-serve.js <worker module> <secret> [inspector port]: serves a bundled Worker
// from workerd on 127.0.0.1 (a free port), through the Miniflare examples/fetch installs, with the
// secret as the WEBHOOK_SECRET binding; prints `PORT=<port>` once it listens; SIGTERM stops it.
// With an inspector port, workerd's V8 inspector listens there (runtime-profile.ts).
import { exampleRuntimes, miniflare } from './example-runtimes.js';

const [scriptPath, secret, inspectorPort] = process.argv.slice(2);
if (!scriptPath || !secret) throw new Error('usage: node dist/workerd-serve.js <worker module> <secret>');
const { COMPATIBILITY_DATE } = await exampleRuntimes();
const Miniflare = await miniflare();
const mf = new Miniflare({
  modules: true,
  scriptPath,
  compatibilityDate: COMPATIBILITY_DATE,
  bindings: { WEBHOOK_SECRET: secret },
  host: '127.0.0.1',
  port: 0,
  // Straight to the Worker, as on Cloudflare's edge: not through Miniflare's dev-server entry
  // Worker (error pages, request logs), which would cost more than either case here.
  unsafeDirectSockets: [{ host: '127.0.0.1', port: 0 }],
  ...(inspectorPort ? { inspectorPort: Number(inspectorPort) } : {}),
});
await mf.ready;
console.log(`PORT=${(await mf.unsafeGetDirectURL()).port}`);
process.once('SIGTERM', () => void mf.dispose().finally(() => process.exit(0)));
