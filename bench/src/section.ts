export {};
// One benchmark section in a process of its own, printing its results as JSON. Sections do not
// share a process: a library one section loads can slow another's hot path (importing node-redis
// alone made every promise-returning verifySignature call ~3 µs slower on Node 20).
const [name, mode] = process.argv.slice(2);
const quick = mode === '--quick';

const sections: Record<string, () => Promise<unknown>> = {
  crypto: async () => (await import('./crypto-bench.js')).cryptoBench(quick),
  receiver: async () => (await import('./receiver-bench.js')).receiverBench(quick),
  http: async () => (await import('./http-bench.js')).httpBench(quick),
  redis: async () => (await import('./redis-bench.js')).redisBench(quick),
  postgres: async () => (await import('./postgres-bench.js')).postgresBench(quick),
  runtimes: async () => (await import('./runtime-bench.js')).runtimeBench(quick),
};
const section = sections[name ?? ''];
if (!section) throw new Error(`section: expected one of ${Object.keys(sections).join(', ')}, found ${name}`);
process.stdout.write(JSON.stringify(await section()));
process.exit(0);
