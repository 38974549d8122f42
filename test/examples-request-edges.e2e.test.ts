import { spawnSync } from 'node:child_process';
import { request } from 'node:http';
import { join } from 'node:path';
import { UNMATCHABLE_JOB_PATHS } from './helpers/contract-cases';
import { SECRET } from './helpers/deliveries';
import { startExample, type RunningApp } from './helpers/example-app';
import { ADMIN_TOKEN } from './helpers/example-target';
import { postgresBinDir, startPostgresServer, type PostgresServer } from './helpers/postgres-server';

// Requests at the edges of the examples' routes, on real servers started by their `start` scripts
// (examples/nextjs as built): the webhook route of examples/nextjs keeps the kit's own body limit
// (its path is outside proxy.ts's matcher, so Next.js does not read the body first), and an id
// that is not a plain job id is a 404 on a PostgreSQL store, never the 500 of a NUL byte.

/**
 * A POST that declares `Content-Length: 2000000` and sends no body: the status of the answer, or
 * an error when none comes within `timeoutMs` (Next.js would wait for the whole body first).
 */
function postDeclaredBody(url: string, timeoutMs: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': '2000000' },
      agent: false,
    });
    const timer = setTimeout(
      () => req.destroy(new Error(`Expected an answer within ${timeoutMs} ms, found none`)),
      timeoutMs,
    );
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        clearTimeout(timer);
        req.destroy();
        resolve({ status: res.statusCode ?? 0, body });
      });
    });
    req.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    req.flushHeaders();
  });
}

describe('examples/nextjs: the webhook route outside proxy.ts', () => {
  let app: RunningApp;

  beforeAll(async () => {
    app = await startExample('nextjs', { AI_STATS_WEBHOOK_SECRET: SECRET, STORE: 'memory', ADMIN_TOKEN });
  }, 90_000);
  afterAll(async () => {
    await app?.stop();
  });

  it.each(['/api/webhooks/ai-stats', '/webhooks/ai-stats'])(
    'answers 413 at once to a declared body of 2 MB on %s, without reading it',
    async (path) => {
      const { status, body } = await postDeclaredBody(`${app.url}${path}`, 5_000);
      expect(status).toBe(413);
      expect(JSON.parse(body)).toMatchObject({ error: 'payload_too_large' });
    },
  );

  it('keeps ADMIN_TOKEN on every other /api path, near the webhook one too', async () => {
    for (const path of ['/api', '/api/jobs', '/api/webhooks', '/api/webhooks/ai-stats-x', '/api/webhooks/ai-stats/x']) {
      const res = await fetch(`${app.url}${path}`);
      expect([path, res.status]).toEqual([path, 401]);
    }
    const webhook = await fetch(`${app.url}/api/webhooks/ai-stats`);
    expect(webhook.status).toBe(405);
  });
});

describe.each(['express', 'nextjs'])('examples/%s on PostgreSQL: ids that are not plain job ids', (example) => {
  let pg: PostgresServer;
  let app: RunningApp;

  beforeAll(async () => {
    pg = await startPostgresServer();
    const database = `request_edges_${example}`;
    const run = spawnSync(
      join(postgresBinDir(), 'psql'),
      [
        '-h',
        '127.0.0.1',
        '-p',
        String(pg.port),
        '-U',
        'postgres',
        '-d',
        'postgres',
        '-c',
        `create database ${database}`,
      ],
      { encoding: 'utf8', timeout: 10_000 },
    );
    if (run.status !== 0) throw new Error(`psql: ${run.stderr}`);
    app = await startExample(
      example,
      {
        AI_STATS_WEBHOOK_SECRET: SECRET,
        POLL_INTERVAL_MS: '0',
        DATABASE_URL: pg.url.replace(/\/postgres$/, `/${database}`),
      },
      { timeoutMs: 90_000 },
    );
  }, 120_000);
  afterAll(async () => {
    await app?.stop();
    await pg?.destroy();
  });

  it.each(UNMATCHABLE_JOB_PATHS)('GET /api/jobs/:id with %s answers 404 not_found', async (_what, path) => {
    const res = await fetch(`${app.url}${path}`);
    expect([res.status, await res.json()]).toEqual([404, expect.objectContaining({ error: 'not_found' })]);
  });

  if (example === 'express')
    it('GET /api/jobs/:id/timeline with a NUL byte answers 404 not_found', async () => {
      const res = await fetch(`${app.url}/api/jobs/G-1%00x/timeline`);
      expect([res.status, await res.json()]).toEqual([404, expect.objectContaining({ error: 'not_found' })]);
    });
});
