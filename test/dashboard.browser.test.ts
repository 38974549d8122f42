import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { createMockGateway, type MockGateway } from '@ai-stats-webhooks/testing';
import { ROOT, freePort, startExample, type RunningApp } from './helpers/example-app';

// The dashboard of examples/express in Debian's Chromium (never a downloaded browser), fed by the
// mock gateway: jobs appear, progress moves, a failed job shows its error. The app runs with
// ADMIN_TOKEN, as a deployed one would; the browser answers its Basic challenge with the token.

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const OUTPUT = join(ROOT, 'test-output');
const ADMIN_TOKEN = 'adm_browser_5d1e8c04b2f9a7e3';

let gateway: MockGateway;
let app: RunningApp;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`Expected Chromium at ${CHROMIUM}, found none: apt-get install -y chromium (.ci/run does).`);
  gateway = await createMockGateway({ timeScale: 15, seed: 5 });
  const port = await freePort();
  app = await startExample(
    'express',
    {
      AI_STATS_WEBHOOK_SECRET: gateway.secret,
      AI_STATS_API_KEY: gateway.apiKey,
      AI_STATS_BASE_URL: gateway.baseUrl,
      POLL_INTERVAL_MS: '1000',
      PUBLIC_WEBHOOK_URL: `http://127.0.0.1:${port}/webhooks/ai-stats`,
      ADMIN_TOKEN,
    },
    { port },
  );
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await gateway?.close();
});

// POST /api/jobs with the token; the app attaches its PUBLIC_WEBHOOK_URL.
const create = async (prompt: string): Promise<string> => {
  const res = await fetch(`${app.url}/api/jobs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
    body: JSON.stringify({ model: 'mock/video-1', prompt }),
  });
  return ((await res.json()) as { id: string }).id;
};

it('shows jobs appearing, progress moving and a failed job with its error', async () => {
  const page = await browser.newPage({
    viewport: { width: 1400, height: 500 },
    httpCredentials: { username: 'admin', password: ADMIN_TOKEN },
  });
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  expect((await fetch(app.url)).status).toBe(401); // without the token, no dashboard
  await page.goto(app.url);
  await page.waitForSelector('text=No jobs yet.');

  const ok = await create('A lighthouse in a storm');
  const bad = await create('this should fail');

  await page.waitForSelector(`tr[data-job="${ok}"]`);
  await page.waitForSelector(`tr[data-job="${bad}"]`);

  // Sample the rendered progress of the good job until it completes.
  const seen = new Set<number>();
  const deadline = Date.now() + 30_000;
  for (;;) {
    const text = await page.locator(`tr[data-job="${ok}"] .progress`).textContent();
    seen.add(Number(text?.replace('%', '')));
    if ((await page.locator(`tr[data-job="${ok}"]`).getAttribute('data-status')) === 'completed') break;
    if (Date.now() > deadline)
      throw new Error(`job ${ok} did not complete on the dashboard; saw ${[...seen].join(', ')}`);
    await page.waitForTimeout(150);
  }
  expect([...seen].some((p) => p > 0 && p < 100)).toBe(true);
  expect(await page.locator(`tr[data-job="${ok}"] .progress`).textContent()).toBe('100%');
  await expect(page.locator(`tr[data-job="${ok}"] a`).getAttribute('href')).resolves.toBe(`/api/jobs/${ok}/content`);

  await page.waitForSelector(`tr[data-job="${bad}"][data-status="failed"]`, { timeout: 30_000 });
  expect(await page.locator(`tr[data-job="${bad}"] .generation-error`).textContent()).toMatch(
    /rejected by the provider/,
  );
  const processed = await page.locator('.total[data-label="processed"] b').textContent();
  expect(Number(processed)).toBeGreaterThan(5);

  expect(pageErrors).toEqual([]);
  mkdirSync(OUTPUT, { recursive: true });
  await page.screenshot({ path: join(OUTPUT, 'dashboard.png'), fullPage: true });
  expect(existsSync(join(OUTPUT, 'dashboard.png'))).toBe(true);
}, 60_000);
