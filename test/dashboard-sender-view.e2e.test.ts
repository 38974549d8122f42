import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMockGateway, type MockGateway } from '@ai-stats-webhooks/testing';
import { VERDICT_LABELS } from '../examples/express/src/job-verdict';
import type { TimelineEntry } from '../examples/express/src/job-timeline';
import type { SenderView } from '../examples/express/src/sender-view';
import { freePort, startExample, type RunningApp } from './helpers/example-app';

// The dashboard's `delivery_failing` verdict of examples/express produced through the sender's own
// view only: the sender reports a 5xx or a timeout in `webhook.delivery` of GET /v1/videos/{id}
// while the app never answered a failure. The mock gateway delivers through a reverse proxy of
// the test's in front of the app (PUBLIC_WEBHOOK_URL): the proxy answers 502 without passing the
// delivery on (the app never sees it), or passes it on and holds the app's 200 past the sender's
// timeout (the app answered 200; the sender gave up waiting). The app's poller reads the sender's
// view; GET /api/jobs/:id/timeline and GET /api/jobs/:id tell the verdict.

const ADMIN_TOKEN = 'adm_sender_view_3f1d8c27b9e6';
const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
/** Real milliseconds the sender waits for an answer (the gateway's `timeoutMs`). */
const SENDER_TIMEOUT_MS = 500;
/** How long the proxy holds the app's answer in `late` mode: well past the sender's timeout. */
const HOLD_MS = 1_500;

type FrontMode = 'pass' | 'bad-gateway' | 'late';

interface Front {
  url: string;
  mode: FrontMode;
  close: () => Promise<void>;
}

/** A reverse proxy on 127.0.0.1 in front of the app, whose behaviour the test switches. */
async function startFront(appPort: number): Promise<Front> {
  const timers = new Set<NodeJS.Timeout>();
  const front: Front = { url: '', mode: 'pass', close: async () => undefined };
  const forward = (req: IncomingMessage, res: ServerResponse, hold: boolean) => {
    const upstream = request(
      { host: '127.0.0.1', port: appPort, path: req.url, method: req.method, headers: req.headers },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () => {
          const send = () => {
            if (!res.destroyed) res.writeHead(answer.statusCode ?? 502, answer.headers).end(Buffer.concat(chunks));
          };
          if (!hold) return send();
          const timer = setTimeout(() => (timers.delete(timer), send()), HOLD_MS);
          timers.add(timer);
        });
      },
    );
    upstream.on('error', () => void (res.headersSent || res.writeHead(502).end()));
    req.pipe(upstream);
  };
  const server: Server = createServer((req, res) => {
    res.on('error', () => undefined); // the sender hung up (its timeout)
    if (front.mode !== 'bad-gateway') return forward(req, res, front.mode === 'late');
    req.resume();
    res.writeHead(502, { 'content-type': 'text/plain' }).end('Bad Gateway');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  front.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  front.close = () =>
    new Promise<void>((resolve) => {
      for (const timer of timers) clearTimeout(timer);
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return front;
}

interface TimelineAnswer {
  verdict: string;
  verdict_label: string;
  sender: SenderView | null;
  entries: TimelineEntry[];
}

let gateway: MockGateway;
let front: Front;
let app: RunningApp;

beforeAll(async () => {
  // Gateway time 30× real time: a retry 2 s after a failed attempt; the job stays `processing`
  // for 20 s after its start, so the poller keeps reading it meanwhile.
  gateway = await createMockGateway({
    timeScale: 30,
    seed: 3,
    timeoutMs: SENDER_TIMEOUT_MS,
    lifecycle: { queuedMs: 10_000, stepMs: 600_000, readings: [50] },
  });
  const port = await freePort();
  front = await startFront(port);
  app = await startExample(
    'express',
    {
      AI_STATS_WEBHOOK_SECRET: gateway.secret,
      AI_STATS_API_KEY: gateway.apiKey,
      AI_STATS_BASE_URL: gateway.baseUrl,
      POLL_INTERVAL_MS: '1000',
      PUBLIC_WEBHOOK_URL: `${front.url}/webhooks/ai-stats`,
      ADMIN_TOKEN,
    },
    { port },
  );
}, 90_000);

afterAll(async () => {
  await app?.stop();
  await front?.close();
  await gateway?.close();
});

const createJob = async (prompt: string): Promise<string> => {
  const res = await fetch(`${app.url}/api/jobs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...admin },
    body: JSON.stringify({ model: 'mock/video-1', prompt }),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
};

const timelineOf = async (id: string): Promise<TimelineAnswer> => {
  const res = await fetch(`${app.url}/api/jobs/${id}/timeline`, { headers: admin });
  expect(res.status).toBe(200);
  return (await res.json()) as TimelineAnswer;
};

// The first timeline (read every 100 ms, for at most 30 s) that shows `verdict`; on a timeout, the last.
const waitForVerdict = async (id: string, verdict: string): Promise<TimelineAnswer> => {
  const deadline = Date.now() + 30_000;
  let last = await timelineOf(id);
  while (last.verdict !== verdict && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    last = await timelineOf(id);
  }
  if (last.verdict !== verdict)
    throw new Error(`expected ${verdict} for ${id}, found ${last.verdict}: ${JSON.stringify(last).slice(0, 3000)}`);
  return last;
};

const deliveriesOf = (answer: TimelineAnswer) => answer.entries.filter((e) => e.kind === 'delivery');

it('is delivery_failing when the sender reports a 502 of the proxy in front of us (we never saw the delivery)', async () => {
  front.mode = 'bad-gateway';
  const id = await createJob('A lighthouse behind a broken load balancer');
  const answer = await waitForVerdict(id, 'delivery_failing');
  expect(answer.verdict_label).toBe(VERDICT_LABELS.delivery_failing);
  expect(deliveriesOf(answer)).toEqual([]); // no answer of ours at all
  expect(answer.sender).toMatchObject({
    source: 'poll',
    configured: true,
    last_attempt_status: 'scheduled_retry',
    last_response_status: 502,
    last_error_message: 'Webhook returned HTTP 502',
  });
  expect(answer.sender!.pending_retries).toBeGreaterThanOrEqual(1);
  expect(answer.entries.some((e) => e.kind === 'poll' && e.sender?.last_response_status === 502)).toBe(true);
  // The jobs list tells the same verdict, and the gateway did record 502s.
  const job = (await fetch(`${app.url}/api/jobs/${id}`, { headers: admin }).then((r) => r.json())) as {
    verdict: string;
  };
  expect(job.verdict).toBe('delivery_failing');
  expect(gateway.job(id)!.records.map((r) => r.responseStatus)).toContain(502);
}, 60_000);

it('is delivery_failing when our 200 reached the sender only after its timeout', async () => {
  front.mode = 'late';
  const id = await createJob('A harbour behind a slow proxy');
  const answer = await waitForVerdict(id, 'delivery_failing');
  // We answered every delivery with a success; the sender, read after those answers, timed out.
  const ours = deliveriesOf(answer);
  expect(ours.length).toBeGreaterThanOrEqual(1);
  for (const entry of ours) expect(entry).toMatchObject({ status: 200, error: null });
  expect(answer.sender).toMatchObject({
    last_attempt_status: 'scheduled_retry',
    last_response_status: null,
    last_error_message: expect.stringMatching(/timeout/i),
  });
  expect(answer.sender!.source).not.toBe('webhook');
  expect(answer.sender!.read_at > ours.at(-1)!.at).toBe(true);
  const attempts = gateway.job(id)!.records;
  expect(attempts.length).toBeGreaterThanOrEqual(1);
  expect(attempts.every((r) => r.responseStatus === null && !r.ok)).toBe(true);
}, 60_000);
