import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createDelivery, createMockGateway, signDelivery, type MockGateway } from '@ai-stats-webhooks/testing';
import { ROOT, freePort, startExample, type RunningApp } from './helpers/example-app';
import { postgresBinDir, startPostgresServer, type PostgresServer } from './helpers/postgres-server';

// The dashboard of examples/express in Debian's Chromium, against the mock gateway's faults, on a
// PostgreSQL server: the charts, a job's timeline, one job per verdict (healthy, generation
// failed, recovered by polling after dropped webhooks, delivery failing because the handler
// throws, rejected by us after secret drift) and, in PROCESSING=inbox, the inbox panel with its
// Replay button. The handler is made to fail from the outside, by a trigger on the events table
// the example's handler writes to: the example has no test switch. Screenshots go to test-output/
// (git-ignored).

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const OUTPUT = join(ROOT, 'test-output');
const ADMIN_TOKEN = 'adm_timeline_7c2e91d0a4b3f6e5';
const SCHEMA = 'ai_stats_webhooks';

let pg: PostgresServer;
let browser: Browser;

/** Runs SQL on a database of the test server with psql; returns its output. */
const sql = (url: string, statement: string): string => {
  const { port, pathname } = new URL(url);
  const run = spawnSync(
    join(postgresBinDir(), 'psql'),
    [
      '-h',
      '127.0.0.1',
      '-p',
      port,
      '-U',
      'postgres',
      '-d',
      pathname.slice(1),
      '-v',
      'ON_ERROR_STOP=1',
      '-Atc',
      statement,
    ],
    { encoding: 'utf8', timeout: 10_000 },
  );
  if (run.status !== 0) throw new Error(`psql: ${statement}: ${run.stderr}`);
  return run.stdout.trim();
};

const database = (name: string): string => {
  sql(pg.url, `create database ${name}`);
  return pg.url.replace(/\/postgres$/, `/${name}`);
};

// While public.failing has a row, every insert into the example's events table (its handler's
// write) throws: the handler fails, as a bug or an outage of the app's own database would.
const installFailingHandler = (url: string) =>
  sql(
    url,
    `create table public.failing (on_ boolean primary key);
     create function public.fail_handler() returns trigger language plpgsql as $$
     begin
       if exists (select 1 from public.failing) then raise exception 'test: handler failure for %', new.job_id; end if;
       return new;
     end $$;
     create trigger fail_handler before insert on ${SCHEMA}.events for each row execute function public.fail_handler();`,
  );
const setFailing = (url: string, on: boolean) =>
  sql(url, on ? 'insert into public.failing values (true) on conflict do nothing' : 'delete from public.failing');

const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

const openDashboard = async (app: RunningApp): Promise<{ page: Page; errors: string[] }> => {
  const context = await browser.newContext({
    viewport: { width: 1500, height: 900 },
    httpCredentials: { username: 'admin', password: ADMIN_TOKEN },
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(app.url);
  return { page, errors };
};

const screenshot = async (page: Page, name: string): Promise<void> => {
  mkdirSync(OUTPUT, { recursive: true });
  const path = join(OUTPUT, name);
  await page.screenshot({ path, fullPage: true });
  console.log(`screenshot: ${path}`);
  expect(existsSync(path)).toBe(true);
};

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`Expected Chromium at ${CHROMIUM}, found none: apt-get install -y chromium (.ci/run does).`);
  pg = await startPostgresServer();
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
  });
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await pg?.destroy();
});

describe('inline processing: charts, timelines and verdicts', () => {
  let gateway: MockGateway;
  let app: RunningApp;
  let url: string;

  beforeAll(async () => {
    gateway = await createMockGateway({ timeScale: 30, seed: 7 });
    url = database('dash_inline');
    const port = await freePort();
    app = await startExample(
      'express',
      {
        AI_STATS_WEBHOOK_SECRET: gateway.secret,
        AI_STATS_API_KEY: gateway.apiKey,
        AI_STATS_BASE_URL: gateway.baseUrl,
        POLL_INTERVAL_MS: '1000',
        PUBLIC_WEBHOOK_URL: `http://127.0.0.1:${port}/webhooks/ai-stats`,
        DATABASE_URL: url,
        ADMIN_TOKEN,
      },
      { port },
    );
    installFailingHandler(url);
  }, 90_000);

  afterAll(async () => {
    await app?.stop();
    await gateway?.close();
  });

  const create = async (prompt: string): Promise<string> => {
    const res = await fetch(`${app.url}/api/jobs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...admin },
      body: JSON.stringify({ model: 'mock/video-1', prompt }),
    });
    expect(res.status).toBe(201);
    return ((await res.json()) as { id: string }).id;
  };

  // Waits for the job's row to show `verdict`; on a timeout, says what the timeline held.
  const verdictShown = async (page: Page, id: string, verdict: string): Promise<void> => {
    try {
      await page.waitForSelector(`tr[data-job="${id}"][data-verdict="${verdict}"]`, { timeout: 40_000 });
    } catch (error) {
      const timeline = await fetch(`${app.url}/api/jobs/${id}/timeline`, { headers: admin }).then((r) => r.text());
      throw new Error(
        `${(error as Error).message}\nexpected ${verdict} for ${id}; timeline: ${timeline.slice(0, 3000)}`,
      );
    }
  };

  it('shows each verdict, the charts and a job timeline', async () => {
    const { page, errors } = await openDashboard(app);
    await page.waitForSelector('text=No jobs yet.');
    expect(await page.locator('#inbox').isHidden()).toBe(true); // not in inbox mode

    // Healthy, and a generation failure.
    const healthy = await create('A lighthouse in a storm');
    const failed = await create('this should fail');
    await verdictShown(page, healthy, 'healthy');
    await page.waitForSelector(`tr[data-job="${healthy}"][data-status="completed"]`, { timeout: 30_000 });
    await verdictShown(page, failed, 'generation_failed');
    await verdictShown(page, healthy, 'healthy');

    // Every webhook dropped: the poller recovers the state.
    gateway.setFaults({ drop: 1 });
    const dropped = await create('A quiet harbour');
    await verdictShown(page, dropped, 'recovered_by_polling');
    expect(await page.locator(`tr[data-job="${dropped}"]`).getAttribute('data-status')).toBe('completed');
    gateway.setFaults({ drop: 0 });

    // The handler throws: we answer 500 and the sender retries.
    setFailing(url, true);
    const failing = await create('A market at dawn');
    await verdictShown(page, failing, 'delivery_failing');

    // Secret drift: the sender signs with a secret we do not have; we answer 401.
    gateway.rotateSecret('whsec_drifted_0f9e8d7c6b5a4f3e2d1c');
    const rejected = await create('A train in the snow');
    await verdictShown(page, rejected, 'rejected_by_us');

    // The charts: deliveries per minute by outcome, jobs by status.
    const chart = page.locator('svg[data-chart="deliveries"]');
    const counted = async (outcome: string) => Number(await chart.getAttribute(`data-${outcome}`));
    expect(await counted('processed')).toBeGreaterThan(5);
    expect(await counted('failed')).toBeGreaterThan(0);
    await page.waitForSelector('svg[data-chart="deliveries"] rect[data-outcome="rejected"]', { timeout: 20_000 });
    expect(await counted('rejected')).toBeGreaterThan(0);
    expect(await page.locator('svg[data-chart="deliveries"] rect[data-outcome="processed"]').count()).toBeGreaterThan(
      0,
    );
    const statusCount = async (status: string) =>
      Number(await page.locator(`svg[data-chart="statuses"] rect[data-status="${status}"]`).getAttribute('data-count'));
    expect(await statusCount('failed')).toBe(1);
    expect(await statusCount('completed')).toBeGreaterThanOrEqual(2);
    expect(await page.locator('svg[data-chart="statuses"]').getAttribute('data-total')).toBe('5');
    expect(await page.locator('#deliveries-legend [data-outcome="processed"]').getAttribute('data-count')).toBe(
      String(await counted('processed')),
    );
    await screenshot(page, 'dashboard-verdicts.png');

    // The healthy job's timeline: its delivery attempts (n of N), the polls, the sender's view.
    await page.click(`tr[data-job="${healthy}"] td:first-child`);
    await page.waitForSelector(`#timeline[data-job="${healthy}"]`);
    const deliveries = page.locator('#timeline-entries tr[data-kind="delivery"]');
    expect(await deliveries.count()).toBeGreaterThanOrEqual(3);
    expect(await deliveries.allTextContents()).toEqual(expect.arrayContaining([expect.stringMatching(/1 of 4/)]));
    expect(await page.locator('#timeline-entries tr[data-kind="poll"]').count()).toBeGreaterThan(0);
    expect(await page.locator('#timeline-verdict [data-verdict="healthy"]').count()).toBe(1);
    expect(await page.locator('#sender [data-sender="total attempts"]').textContent()).toMatch(/total attempts: \d+/);

    // The failing job's: our 500s. The rejected one's: the sender's view shows our 401.
    await page.click(`tr[data-job="${failing}"] td:first-child`);
    await page.waitForSelector(
      `#timeline[data-job="${failing}"] #timeline-entries tr[data-kind="delivery"][data-status="500"]`,
    );
    expect(await page.locator('#timeline-entries tr[data-status="500"]').first().textContent()).toMatch(
      /handler_failed/,
    );
    await page.click(`tr[data-job="${rejected}"] td:first-child`);
    await page.waitForSelector(`#timeline[data-job="${rejected}"] #timeline-verdict [data-verdict="rejected_by_us"]`);
    expect(await page.locator('#sender [data-sender="last response status"]').textContent()).toMatch(/401/);
    await screenshot(page, 'dashboard-timeline.png');
    expect(errors).toEqual([]);
  }, 240_000);

  it('serves the timeline as JSON, 404 for an unknown job, and no inbox in inline mode', async () => {
    const res = await fetch(`${app.url}/api/jobs/G-UNKNOWN0000000000000000000/timeline`, { headers: admin });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: 'not_found' });
    expect((await fetch(`${app.url}/api/jobs/G-UNKNOWN0000000000000000000/timeline`)).status).toBe(401);
    const inbox = await fetch(`${app.url}/api/inbox`, { headers: admin });
    expect(inbox.status).toBe(404);
    expect(await inbox.json()).toMatchObject({ error: 'not_found' });
    const stats = (await fetch(`${app.url}/api/stats`, { headers: admin }).then((r) => r.json())) as {
      series: unknown[];
    };
    expect(stats.series).toHaveLength(60);
  });
});

describe('PROCESSING=inbox: the inbox panel and Replay', () => {
  const SECRET = 'whsec_dashboard_inbox_test_5b7d';
  let app: RunningApp;
  let url: string;

  beforeAll(async () => {
    url = database('dash_inbox');
    app = await startExample('express', {
      AI_STATS_WEBHOOK_SECRET: SECRET,
      DATABASE_URL: url,
      PROCESSING: 'inbox',
      ADMIN_TOKEN,
    });
    installFailingHandler(url);
  }, 90_000);

  afterAll(async () => {
    await app?.stop();
  });

  const inbox = async () =>
    (await fetch(`${app.url}/api/inbox`, { headers: admin }).then((r) => r.json())) as {
      stats: Record<string, number>;
      dead: { event_id: string; last_error: string }[];
    };

  it('shows a failing event retrying, then dead with its error, and replays it in one click', async () => {
    setFailing(url, true);
    const body = createDelivery({ type: 'video.completed' });
    const delivery = await signDelivery({ secret: SECRET, body });
    const ack = await fetch(`${app.url}/webhooks/ai-stats`, {
      method: 'POST',
      headers: delivery.headers,
      body: delivery.body,
    });
    expect(ack.status).toBe(200); // stored durably; the worker's handler fails

    const { page, errors } = await openDashboard(app);
    await page.waitForSelector('#inbox:not([hidden]) [data-inbox-stat="retrying"]');
    await page.waitForFunction(
      () => Number(document.querySelector('[data-inbox-stat="retrying"] b')?.textContent) >= 1,
      null,
      {
        timeout: 20_000,
      },
    );
    expect(Number(await page.locator('[data-inbox-stat="pending"] b').textContent())).toBeGreaterThanOrEqual(1);
    expect(await page.locator('[data-inbox-stat="oldest pending"] b').textContent()).toMatch(/\d+(\.\d)? m?s/);

    // The worker would give up after 10 attempts over hours; the test ends that wait.
    expect(
      sql(
        url,
        `update ${SCHEMA}.inbox set status = 'dead' where event_id = '${body.id}' and status = 'pending' returning id`,
      ),
    ).not.toBe('');
    setFailing(url, false);
    const row = page.locator(`tr[data-dead="${body.id}"]`);
    await row.waitFor({ timeout: 10_000 });
    expect(await row.locator('td.error').textContent()).toMatch(/handler failure/);
    expect((await inbox()).dead.map((d) => d.event_id)).toEqual([body.id]);
    await screenshot(page, 'dashboard-inbox-dead.png');

    await page.click(`button[data-replay="${body.id}"]`);
    await page.waitForSelector('#inbox-message[data-result="replayed"]');
    expect(await page.locator('#inbox-message').textContent()).toMatch(/was dead/);
    await page.waitForSelector('#dead-letters >> text=No dead letters.', { timeout: 20_000 });
    const deadline = Date.now() + 20_000;
    let events: { event_id: string }[] = [];
    while (Date.now() < deadline && !events.some((e) => e.event_id === body.id)) {
      events = (
        (await fetch(`${app.url}/api/events`, { headers: admin }).then((r) => r.json())) as { data: typeof events }
      ).data;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(events.map((e) => e.event_id)).toContain(body.id);
    expect((await inbox()).stats).toMatchObject({ dead: 0, done: 1 });
    await screenshot(page, 'dashboard-inbox-replayed.png');
    expect(errors).toEqual([]);
  }, 120_000);

  it('answers 404 to a replay of an unknown event and 401 without the token', async () => {
    const unknown = await fetch(`${app.url}/api/inbox/evt_unknown/replay`, { method: 'POST', headers: admin });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: 'not_found' });
    expect((await fetch(`${app.url}/api/inbox/evt_unknown/replay`, { method: 'POST' })).status).toBe(401);
    expect((await fetch(`${app.url}/api/inbox`)).status).toBe(401);
  });
});
