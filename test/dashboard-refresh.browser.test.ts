import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import { DASHBOARD_HTML } from '../examples/express/src/dashboard';

// The express dashboard's refresh loop in Debian's Chromium, against a stand-in server whose
// GET /api/jobs is slow (1.5 s, longer than the refresh period): the page asks for one page of
// jobs (`?limit=`), never has two refreshes in flight, and draws its status chart and job total
// from the store's counts in /api/stats, not from the page of jobs it holds.

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const JOBS_DELAY_MS = 1500;
const STORED = { queued: 7, processing: 3, completed: 19_990, failed: 0, cancelled: 0, expired: 0 };
const DELIVERY = {
  received: 1,
  processed: 1,
  duplicates: 0,
  in_flight: 0,
  rejected: 0,
  failed: 0,
  retries: 0,
  reconciled: 0,
  conflicts: 0,
  last_status: 200,
  last_error: null,
  last_failure_at: null,
};
const job = (i: number) => ({
  id: `G-PAGE${i}`,
  kind: 'video',
  status: 'completed',
  progress: 100,
  created_at: new Date(0).toISOString(),
  updated_at: new Date(0).toISOString(),
  source: 'webhook',
  output: null,
  failure: null,
  last_event_id: null,
  delivery: DELIVERY,
  verdict: 'healthy',
  verdict_label: 'healthy',
});
const TOTAL = {
  received: 5,
  processed: 5,
  duplicates: 0,
  in_flight: 0,
  rejected: 0,
  failed: 0,
  retries: 0,
  reconciled: 0,
  conflicts: 0,
};

let server: Server;
let browser: Browser;
let inFlight = 0;
let maxInFlight = 0;
const jobRequests: string[] = [];

const json = (res: ServerResponse, status: number, body: unknown) =>
  void res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));

async function answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = req.url ?? '/';
  if (path === '/') return void res.writeHead(200, { 'content-type': 'text/html' }).end(DASHBOARD_HTML);
  if (path.startsWith('/api/jobs')) {
    jobRequests.push(path);
    maxInFlight = Math.max(maxInFlight, ++inFlight);
    await new Promise((resolve) => setTimeout(resolve, JOBS_DELAY_MS));
    inFlight--;
    return json(res, 200, { data: [job(1), job(2)] });
  }
  if (path === '/api/stats') {
    const total = Object.values(STORED).reduce((sum, n) => sum + n, 0);
    return json(res, 200, { total: TOTAL, series: [], jobs: { total, by_status: STORED } });
  }
  json(res, 404, { error: 'not_found' });
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`Expected Chromium at ${CHROMIUM}, found none: apt-get install -y chromium (.ci/run does).`);
  server = createServer((req, res) => void answer(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
});

it('fetches one page of jobs, never overlaps refreshes, and counts statuses from the store', async () => {
  const page = await browser.newPage();
  // Counted in the page: Chromium's cache lock would queue a second identical GET before it
  // reaches the server, hiding the overlap there.
  await page.addInitScript(() => {
    const w = window as unknown as { fetch: typeof fetch; jobsInFlight: number; maxJobsInFlight: number };
    const original = w.fetch.bind(window);
    w.jobsInFlight = 0;
    w.maxJobsInFlight = 0;
    w.fetch = async (input, init) => {
      if (!String(input).startsWith('/api/jobs')) return original(input, init);
      w.maxJobsInFlight = Math.max(w.maxJobsInFlight, ++w.jobsInFlight);
      try {
        return await original(input, init);
      } finally {
        w.jobsInFlight--;
      }
    };
  });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  await page.waitForSelector('tr[data-job="G-PAGE1"]', { timeout: 10_000 });
  await page.waitForTimeout(5_000); // several refresh periods, each shorter than one /api/jobs answer

  expect(await page.evaluate(() => (window as unknown as { maxJobsInFlight: number }).maxJobsInFlight)).toBe(1);
  expect(maxInFlight).toBe(1);
  expect(jobRequests.length).toBeGreaterThanOrEqual(2); // it keeps refreshing
  for (const path of jobRequests) expect(path).toMatch(/^\/api\/jobs\?limit=\d+$/);
  const completed = page.locator('[data-chart="statuses"] rect[data-status="completed"]');
  expect(await completed.getAttribute('data-count')).toBe(String(STORED.completed));
  expect(await page.locator('[data-chart="statuses"]').getAttribute('data-total')).toBe('20000');
  expect(await page.locator('.total[data-label="jobs"] b').textContent()).toBe('20000');
  expect(errors).toEqual([]);
}, 30_000);
