import { SECRET } from './deliveries';
import { freePort, listeningAddresses } from './example-app';
import { ADMIN_TOKEN, runTarget, startTarget, type ExampleTarget } from './example-target';

/**
 * What one example target refuses at start-up (a public HOST without ADMIN_TOKEN, unusable URLs,
 * never echoing a password), and that a public HOST with the token works.
 *
 * @example
 * ```ts
 * describeStartUpSafety({ example: 'fetch', script: 'start:bun', label: 'examples/fetch on bun' });
 * ```
 */
export function describeStartUpSafety(target: ExampleTarget): void {
  describe(`${target.label} start-up safety`, () => {
    it.each(['0.0.0.0', '::'])(
      'refuses HOST=%s without ADMIN_TOKEN, naming ADMIN_TOKEN',
      async (host) => {
        const { code, output } = await runTarget(target, { AI_STATS_WEBHOOK_SECRET: SECRET, HOST: host });
        expect(code).not.toBeNull(); // it stopped by itself
        expect(code).not.toBe(0);
        expect(output).toMatch(/ADMIN_TOKEN is required/);
      },
      30_000,
    );

    it('starts on HOST=0.0.0.0 with ADMIN_TOKEN, and guards /api/*', async () => {
      const app = await startTarget(target, { AI_STATS_WEBHOOK_SECRET: SECRET, HOST: '0.0.0.0', ADMIN_TOKEN });
      try {
        expect(listeningAddresses(app.port)).toEqual(['0.0.0.0']);
        expect((await fetch(`${app.url}/api/jobs`)).status).toBe(401);
        const allowed = await fetch(`${app.url}/api/jobs`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
        expect(allowed.status).toBe(200);
      } finally {
        await app.stop();
      }
    }, 90_000);

    it('refuses PORT=70000, naming PORT', async () => {
      const { code, output } = await runTarget(target, { AI_STATS_WEBHOOK_SECRET: SECRET, PORT: '70000' });
      expect(code).not.toBeNull();
      expect(code).not.toBe(0);
      expect(output).toMatch(/PORT must be an integer from 0 to 65535, found "70000"/);
    }, 30_000);

    if (target.example === 'fetch')
      it.each([
        ['DATABASE_URL', 'postgres://admin:hunter2@127.0.0.1:5432/app', /examples\/express or examples\/nextjs/],
        ['REDIS_URL', 'redis://admin:hunter2@127.0.0.1:6379', /examples\/express or examples\/nextjs/],
        ['STORE', 'postgres', /examples\/express or examples\/nextjs/],
        ['PROCESSING', 'inbox', /examples\/express or examples\/nextjs/],
        ['PROCESSING', 'foo', /PROCESSING must be "inline" or unset/],
      ])(
        'refuses %s=%s (its state is in memory), naming it',
        async (variable, value, message) => {
          const { code, output } = await runTarget(target, { AI_STATS_WEBHOOK_SECRET: SECRET, [variable]: value });
          expect(code).not.toBeNull();
          expect(code).not.toBe(0);
          expect(output).toContain(variable);
          expect(output).toMatch(message);
          expect(output).not.toContain('hunter2');
        },
        30_000,
      );

    const urls: [string, string][] = [
      ['AI_STATS_BASE_URL', 'https://admin:hunter2@127.0.0.1:9/v1'],
      ['PUBLIC_WEBHOOK_URL', 'ftp://admin:hunter2@127.0.0.1/hook'],
      ...(target.example === 'express'
        ? ([['REDIS_URL', 'http://admin:hunter2@127.0.0.1:6379']] as [string, string][])
        : []),
    ];
    it.each(urls)(
      'stops on an unusable %s without echoing its password',
      async (variable, value) => {
        const { code, output } = await runTarget(target, { AI_STATS_WEBHOOK_SECRET: SECRET, [variable]: value });
        expect(code).not.toBeNull();
        expect(code).not.toBe(0);
        expect(output).toContain(variable);
        expect(output).toContain('***@127.0.0.1');
        expect(output).not.toContain('hunter2');
      },
      30_000,
    );

    if (target.example === 'express')
      it('stops when REDIS_URL does not answer, without echoing its password', async () => {
        const { code, output } = await runTarget(target, {
          AI_STATS_WEBHOOK_SECRET: SECRET,
          REDIS_URL: `redis://admin:hunter2@127.0.0.1:${await freePort()}`,
        });
        expect(code).not.toBeNull();
        expect(code).not.toBe(0);
        expect(output).toMatch(/Could not connect to REDIS_URL \(redis:\/\/\*\*\*@127\.0\.0\.1:\d+\)/);
        expect(output).not.toContain('hunter2');
      }, 30_000);
  });
}
