import { event, SECRET, sign } from './deliveries';
import { listeningAddresses, type RunningApp } from './example-app';
import { ADMIN_TOKEN, postJson, startTarget, type ExampleTarget } from './example-target';
import { requestWithHost } from './host-header-request';
import { startStubApi, type StubApi } from './stub-api';

const CHALLENGE = 'Basic realm="ai-stats-webhooks", charset="UTF-8"';
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/**
 * `ADMIN_TOKEN` on one example target: the admin routes need it (Bearer or Basic), the webhook
 * route and `/healthz` stay open.
 *
 * @example
 * ```ts
 * describeAdminToken({ example: 'express', script: 'start', label: 'examples/express' });
 * ```
 */
export function describeAdminToken(target: ExampleTarget): void {
  describe(`${target.label} with ADMIN_TOKEN`, () => {
    let app: RunningApp;
    let api: StubApi;

    beforeAll(async () => {
      api = await startStubApi('sk_e2e');
      app = await startTarget(target, {
        AI_STATS_WEBHOOK_SECRET: SECRET,
        AI_STATS_API_KEY: 'sk_e2e',
        AI_STATS_BASE_URL: api.baseUrl,
        POLL_INTERVAL_MS: '0',
        HOST: '127.0.0.1',
        ADMIN_TOKEN,
      });
    }, 90_000);
    afterAll(async () => {
      await app?.stop();
      await api?.close();
    });

    const get = (path: string, authorization?: string) =>
      fetch(`${app.url}${path}`, { headers: authorization ? { authorization } : {} });

    it.each([
      ['no credentials', undefined],
      ['a wrong Bearer token', 'Bearer adm_e2e_wrong'],
      ['a Bearer token one character short', `Bearer ${ADMIN_TOKEN.slice(0, -1)}`],
      ['a wrong Basic password', basic('admin', 'adm_e2e_wrong')],
      ['the token as the Basic user name', basic(ADMIN_TOKEN, '')],
      ['another scheme', `Token ${ADMIN_TOKEN}`],
    ])('answers 401 with a Basic challenge to %s', async (_what, authorization) => {
      for (const path of ['/', '/api/jobs', '/api/events', '/api/jobs/G-nope', '/metrics']) {
        const res = await get(path, authorization);
        expect([path, res.status, res.headers.get('www-authenticate')]).toEqual([path, 401, CHALLENGE]);
        expect(await res.json()).toMatchObject({
          error: 'unauthorized',
          message: expect.stringContaining('ADMIN_TOKEN'),
        });
      }
      const before = api.created.length;
      const create = await postJson(
        `${app.url}/api/jobs`,
        { model: 'm', prompt: 'p' },
        authorization ? { authorization } : {},
      );
      expect(create.status).toBe(401);
      expect(api.created.length).toBe(before);
    });

    it.each([
      ['Bearer', `Bearer ${ADMIN_TOKEN}`],
      ['Basic', basic('admin', ADMIN_TOKEN)],
      ['Basic with an empty user name', basic('', ADMIN_TOKEN)],
    ])('answers the dashboard, /api/* and /metrics with the token as %s', async (_how, authorization) => {
      // examples/fetch has no dashboard page: its `/` is a guarded 404.
      for (const path of [...(target.example === 'fetch' ? [] : ['/']), '/api/jobs', '/api/events', '/metrics'])
        expect([path, (await get(path, authorization)).status]).toEqual([path, 200]);
      expect((await get('/api/jobs/G-nope', authorization)).status).toBe(404);
    });

    it('answers the token under any Host (the Host check is for the token-less default)', async () => {
      const host = `admin.example:${app.port}`;
      const authorized = await requestWithHost(`${app.url}/api/jobs`, host, {
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      });
      expect(authorized.status).toBe(200);
      expect((await requestWithHost(`${app.url}/api/jobs`, host)).status).toBe(401);
    });

    it('leaves the webhook route and /healthz open', async () => {
      expect((await get('/healthz')).status).toBe(200);
      const d = sign(event('video.completed.json', { jobId: 'G-AUTH-OPEN' }));
      expect(
        (await fetch(`${app.url}/webhooks/ai-stats`, { method: 'POST', headers: d.headers, body: d.body })).status,
      ).toBe(200);
      expect((await get('/webhooks/ai-stats')).status).toBe(405);
      if (target.example === 'nextjs') expect((await get('/api/webhooks/ai-stats')).status).toBe(405); // the rewrite's target
      expect(await (await get('/api/jobs/G-AUTH-OPEN', `Bearer ${ADMIN_TOKEN}`)).json()).toMatchObject({
        status: 'completed',
      });
    });

    it('creates jobs without a webhook when PUBLIC_WEBHOOK_URL is unset', async () => {
      const res = await postJson(
        `${app.url}/api/jobs`,
        { model: 'google/veo-3.1-lite', prompt: 'A boat' },
        { authorization: `Bearer ${ADMIN_TOKEN}` },
      );
      expect(res.status).toBe(201);
      expect(api.created.at(-1)).toEqual({ model: 'google/veo-3.1-lite', prompt: 'A boat' });
    });

    it('listens on HOST=127.0.0.1 only', () => {
      expect(listeningAddresses(app.port)).toEqual(['127.0.0.1']);
    });
  });
}
