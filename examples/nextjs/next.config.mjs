import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** @type {import('next').NextConfig} */
export default {
  poweredByHeader: false,
  // PGlite reads its WebAssembly and data files next to its own modules: loaded from
  // node_modules at run time, never bundled (pg is on Next's own list already).
  serverExternalPackages: ['@electric-sql/pglite'],
  // The @ai-stats-webhooks packages are symlinked from the monorepo root.
  turbopack: { root: join(here, '..', '..') },
  outputFileTracingRoot: join(here, '..', '..'),
  // The contract's webhook path; the handler lives at app/api/webhooks/ai-stats/route.ts.
  async rewrites() {
    return [{ source: '/webhooks/ai-stats', destination: '/api/webhooks/ai-stats' }];
  },
};
