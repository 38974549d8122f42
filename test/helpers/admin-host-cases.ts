import type { RunningApp } from './example-app';
import type { ExampleTarget } from './example-target';
import { requestWithHost } from './host-header-request';
import type { StubApi } from './stub-api';

/** The admin routes of the contract (examples/fetch has no page at `/`: a guarded 404 there). */
const ADMIN_PATHS = ['/', '/api/jobs', '/api/events', '/api/jobs/G-nope', '/metrics'];

/**
 * Without `ADMIN_TOKEN`, the admin routes answer only a `Host` that names this machine (DNS
 * rebinding: a page on evil.example that resolves to 127.0.0.1 sends `Host: evil.example:PORT`),
 * 403 naming `ADMIN_TOKEN` otherwise; the webhook route and `/healthz` answer any Host. Call it
 * inside a `describe` whose `beforeAll` started the app without `ADMIN_TOKEN`.
 *
 * @example
 * ```ts
 * describeAdminHostCheck(target, () => ({ app, api }));
 * ```
 */
export function describeAdminHostCheck(target: ExampleTarget, context: () => { app: RunningApp; api: StubApi }): void {
  const send = (path: string, host: string, options?: Parameters<typeof requestWithHost>[2]) =>
    requestWithHost(`${context().app.url}${path}`, host, options);

  it.each([['evil.example:PORT'], ['evil.example'], ['127.0.0.1.evil.example:PORT'], ['localhost.evil.example:PORT']])(
    'answers the admin routes 403 naming ADMIN_TOKEN when Host is %s (DNS rebinding)',
    async (pattern) => {
      const host = pattern.replace('PORT', String(context().app.port));
      for (const path of ADMIN_PATHS) {
        const res = await send(path, host);
        expect([path, res.status]).toEqual([path, 403]);
        expect(JSON.parse(res.body)).toEqual({ error: 'forbidden', message: expect.stringContaining('ADMIN_TOKEN') });
      }
      const before = context().api.created.length;
      const create = await send('/api/jobs', host, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'google/veo-3.1-lite', prompt: 'A boat' }),
      });
      expect(create.status).toBe(403);
      expect(context().api.created.length).toBe(before);
    },
  );

  it.each([['127.0.0.1:PORT'], ['localhost:PORT'], ['[::1]:PORT']])(
    'answers the admin routes when Host is %s',
    async (pattern) => {
      const host = pattern.replace('PORT', String(context().app.port));
      for (const path of ['/api/jobs', '/api/events', '/metrics', ...(target.example === 'fetch' ? [] : ['/'])])
        expect([path, (await send(path, host)).status]).toEqual([path, 200]);
    },
  );

  it('answers the admin routes through a proxy on this machine (a loopback Host with another port)', async () => {
    const other = context().app.port === 1 ? 2 : 1;
    for (const host of [`127.0.0.1:${other}`, `localhost:${other}`, 'localhost'])
      expect([host, (await send('/api/jobs', host)).status]).toEqual([host, 200]);
  });

  it('leaves the webhook route and /healthz open to any Host', async () => {
    const host = `evil.example:${context().app.port}`;
    expect((await send('/healthz', host)).status).toBe(200);
    expect((await send('/webhooks/ai-stats', host)).status).toBe(405);
  });
}
