import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createPoller,
  createReceiver,
  createVideosClient,
  type Receiver,
  type ReceiverOptions,
} from '@ai-stats-webhooks/core';
import { createNodeHandler } from '@ai-stats-webhooks/express';
import { createMockGateway, type MockGateway, type MockGatewayOptions } from '@ai-stats-webhooks/testing';

// The mock gateway delivering to a real receiver over HTTP, with gateway time 1000× faster:
// retries come after 60 ms, 300 ms and 900 ms.

interface Rig {
  gateway: MockGateway;
  receiver: Receiver;
  processed: string[];
  url: string;
  failNext: { count: number };
  close: () => Promise<void>;
}

async function rig(
  gatewayOptions: MockGatewayOptions = {},
  receiverOptions: Partial<ReceiverOptions> | ((g: MockGateway) => Partial<ReceiverOptions>) = {},
  secretOf?: (g: MockGateway) => string[],
): Promise<Rig> {
  const processed: string[] = [];
  const failNext = { count: 0 };
  const handlerRef: { current?: ReturnType<typeof createNodeHandler> } = {};
  const server: Server = createServer((req, res) => void handlerRef.current!(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks`;
  const gateway = await createMockGateway({ webhookUrl: url, timeScale: 1000, seed: 7, ...gatewayOptions });
  const extra = typeof receiverOptions === 'function' ? receiverOptions(gateway) : receiverOptions;
  const receiver: Receiver = createReceiver({
    secret: secretOf ? secretOf(gateway) : gateway.secret,
    logger: {},
    ...extra,
  });
  receiver.onAny(({ event }) => {
    if (failNext.count > 0) {
      failNext.count--;
      throw new Error('handler fault');
    }
    processed.push(event.id);
  });
  handlerRef.current = createNodeHandler(receiver);
  return {
    gateway,
    receiver,
    processed,
    url,
    failNext,
    close: async () => {
      await gateway.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const settle = async (r: Rig) => {
  await r.gateway.idle();
};
const unique = (ids: string[]) => new Set(ids).size === ids.length;

describe('mock gateway lifecycle', () => {
  it('runs a job to completion with signed deliveries the receiver accepts, each event once', async () => {
    const r = await rig();
    try {
      const job = r.gateway.createVideo({ model: 'mock/video', prompt: 'a paper boat' });
      await settle(r);
      expect(r.gateway.job(job.id)?.status).toBe('completed');
      // Deliveries run concurrently, so only the set is fixed, not the arrival order.
      const types = r.gateway.deliveries().map((d) => d.deliveryKey);
      expect(types.sort()).toEqual(
        [
          'video.created',
          'video.status_changed:queued:in_progress',
          'video.progress:10',
          'video.progress:30',
          'video.progress:50',
          'video.progress:70',
          'video.progress:90',
          'video.status_changed:in_progress:completed',
          'video.completed',
        ].sort(),
      );
      expect(r.gateway.deliveries().every((d) => d.ok && d.responseStatus === 200)).toBe(true);
      expect(r.processed).toHaveLength(9);
      expect(await r.receiver.options.jobs.get(job.id)).toMatchObject({ status: 'completed', progress: 100 });
    } finally {
      await r.close();
    }
  });

  it('fails a job whose prompt has the fail keyword, with an upstream error', async () => {
    const r = await rig();
    try {
      const job = r.gateway.createVideo({ model: 'mock/video', prompt: 'please FAIL this' });
      await settle(r);
      expect(await r.receiver.options.jobs.get(job.id)).toMatchObject({
        status: 'failed',
        failure: { code: 'content_policy_violation' },
      });
    } finally {
      await r.close();
    }
  });

  it('retries a failed delivery on the real schedule until the receiver answers 2xx, and it is processed once', async () => {
    const r = await rig({ events: ['video.completed'] });
    try {
      r.failNext.count = 2;
      const job = r.gateway.createVideo({ model: 'm', prompt: 'p' });
      await settle(r);
      const attempts = r.gateway.deliveries();
      expect(attempts.map((a) => [a.attempt, a.responseStatus])).toEqual([
        [1, 500],
        [2, 500],
        [3, 200],
      ]);
      const gap1 = Date.parse(attempts[1]!.triedAt) - Date.parse(attempts[0]!.triedAt);
      const gap2 = Date.parse(attempts[2]!.triedAt) - Date.parse(attempts[1]!.triedAt);
      expect(gap2).toBeGreaterThan(gap1); // 300 ms after 60 ms (gateway 5 min after 1 min)
      expect(r.processed).toEqual([`evt_video_${job.id}_video_completed`]);
      expect(attempts[0]!.responseBodyPreview).toMatch(/handler_failed/);
    } finally {
      await r.close();
    }
  });

  it('gives up after 4 attempts', async () => {
    const r = await rig({ events: ['video.completed'] });
    try {
      r.failNext.count = 10;
      r.gateway.createVideo({ model: 'm', prompt: 'p' });
      await settle(r);
      expect(r.gateway.deliveries().map((a) => a.attempt)).toEqual([1, 2, 3, 4]);
      expect(r.gateway.deliveries().at(-1)!.nextRetryAt).toBeNull();
    } finally {
      await r.close();
    }
  });

  it('does not follow redirects: a 3xx is a failed attempt', async () => {
    const redirect: Server = createServer((_req, res) => res.writeHead(307, { location: 'http://127.0.0.1:9/' }).end());
    await new Promise<void>((resolve) => redirect.listen(0, '127.0.0.1', resolve));
    const gateway = await createMockGateway({
      webhookUrl: `http://127.0.0.1:${(redirect.address() as AddressInfo).port}/`,
      timeScale: 1000,
      events: ['video.completed'],
    });
    try {
      gateway.createVideo({ model: 'm', prompt: 'p' });
      await gateway.idle();
      expect(gateway.deliveries().map((d) => [d.responseStatus, d.errorMessage])).toEqual(
        Array(4).fill([307, 'Webhook redirects are not allowed']),
      );
    } finally {
      await gateway.close();
      await new Promise<void>((resolve) => redirect.close(() => resolve()));
    }
  });
});

describe('mock batches', () => {
  it('runs batches to completed, failed and expired (sent as batch.failed) and serves GET /v1/batches/{id}', async () => {
    const r = await rig({}, (g) => ({ api: { baseUrl: g.baseUrl, apiKey: g.apiKey } }));
    try {
      const done = r.gateway.createBatch();
      const failed = r.gateway.createBatch({ outcome: 'failed' });
      const expired = r.gateway.createBatch({ outcome: 'expired' });
      const forced = r.gateway.createVideo({ model: 'm', prompt: 'a calm prompt', fail: true });
      await settle(r);
      const jobs = r.receiver.options.jobs;
      expect(await jobs.get(done.id)).toMatchObject({ kind: 'batch', status: 'completed', progress: 100 });
      expect(await jobs.get(failed.id)).toMatchObject({ kind: 'batch', status: 'failed' });
      expect(await jobs.get(expired.id)).toMatchObject({ kind: 'batch', status: 'expired' });
      expect(await jobs.get(forced.id)).toMatchObject({ status: 'failed' });
      expect(
        r.gateway
          .deliveries()
          .filter((d) => d.jobId === expired.id)
          .map((d) => d.type),
      ).toEqual(['batch.created', 'batch.failed']);
      const api = createVideosClient({ baseUrl: r.gateway.baseUrl, apiKey: r.gateway.apiKey });
      await expect(api.getBatch(done.id)).resolves.toMatchObject({ id: done.id, status: 'completed' });
      await expect(api.getVideo(done.id)).rejects.toMatchObject({ code: 'api_not_found' });
      expect((await api.listVideos({ limit: 50 })).data.map((v) => v.id)).toEqual([forced.id]);
    } finally {
      await r.close();
    }
  });
});

describe('fault knobs against the receiver', () => {
  it.each(['concurrent', 'sequential'] as const)(
    'duplicate deliveries (%s) are processed once',
    async (duplicateMode) => {
      const r = await rig({ faults: { duplicate: 1, duplicateMode } });
      try {
        r.gateway.createVideo({ model: 'm', prompt: 'p' });
        await settle(r);
        const twins = r.gateway.deliveries().filter((d) => d.fault === 'duplicate');
        expect(twins.length).toBe(9);
        expect(twins.every((d) => d.responseStatus === 200 || d.responseStatus === 409)).toBe(true);
        expect(r.processed).toHaveLength(9);
        expect(unique(r.processed)).toBe(true);
      } finally {
        await r.close();
      }
    },
  );

  it('reordered deliveries leave the job in its true final state', async () => {
    const r = await rig({ faults: { reorder: 0.5, reorderDelayMs: 150 } });
    try {
      const jobs = [1, 2, 3].map(() => r.gateway.createVideo({ model: 'm', prompt: 'p' }));
      await settle(r);
      expect(r.gateway.deliveries().some((d) => d.fault === 'reordered')).toBe(true);
      for (const job of jobs)
        expect(await r.receiver.options.jobs.get(job.id)).toMatchObject({ status: 'completed', progress: 100 });
    } finally {
      await r.close();
    }
  });

  it('dropped deliveries are recovered by the poller', async () => {
    const r = await rig({ faults: { drop: 1 } });
    try {
      const job = r.gateway.createVideo({ model: 'm', prompt: 'p' });
      await settle(r);
      expect(r.processed).toHaveLength(0);
      const jobs = r.receiver.options.jobs;
      await jobs.update(job.id, () => ({
        id: job.id,
        kind: 'video',
        status: 'queued',
        progress: 0,
        source: 'create',
        createdAt: '',
        updatedAt: '',
        version: 1,
      }));
      const poller = createPoller({
        api: createVideosClient({ baseUrl: r.gateway.baseUrl, apiKey: r.gateway.apiKey }),
        jobs,
      });
      await poller.pollOnce();
      expect(await jobs.get(job.id)).toMatchObject({ status: 'completed', source: 'poll' });
    } finally {
      await r.close();
    }
  });

  it('clock skew inside the tolerance is accepted; beyond it every attempt is refused with 401', async () => {
    const inside = await rig({ faults: { clockSkewSeconds: 120 }, events: ['video.completed'] });
    try {
      inside.gateway.createVideo({ model: 'm', prompt: 'p' });
      await settle(inside);
      expect(inside.processed).toHaveLength(1);
    } finally {
      await inside.close();
    }
    const outside = await rig({ faults: { clockSkewSeconds: -900 }, events: ['video.completed'] });
    try {
      outside.gateway.createVideo({ model: 'm', prompt: 'p' });
      await settle(outside);
      expect(outside.gateway.deliveries().map((d) => d.responseStatus)).toEqual([401, 401, 401, 401]);
      expect(outside.processed).toHaveLength(0);
    } finally {
      await outside.close();
    }
  });

  it('secret rotation: a receiver configured with both secrets keeps accepting', async () => {
    let next = '';
    const r = await rig({ events: ['video.completed', 'video.created'] }, {}, (g) => {
      const old = g.secret;
      next = g.rotateSecret();
      return [old, next];
    });
    try {
      r.gateway.createVideo({ model: 'm', prompt: 'p' });
      await settle(r);
      expect(r.gateway.secret).toBe(next);
      expect(r.processed).toHaveLength(2);
    } finally {
      await r.close();
    }
  });

  it('the older x-ai-stats- header generation is accepted', async () => {
    const r = await rig({ faults: { legacyHeaders: true } });
    try {
      r.gateway.createVideo({ model: 'm', prompt: 'p' });
      await settle(r);
      expect(r.processed).toHaveLength(9);
    } finally {
      await r.close();
    }
  });

  it('an API that lags behind the webhooks never moves a job backwards during reconciliation', async () => {
    const r = await rig({ faults: { apiLag: true, reorder: 0.6, reorderDelayMs: 80 } }, (g) => ({
      api: { baseUrl: g.baseUrl, apiKey: g.apiKey },
    }));
    try {
      const jobs = [1, 2, 3].map(() => r.gateway.createVideo({ model: 'm', prompt: 'p' }));
      await settle(r);
      for (const job of jobs) expect(await r.receiver.options.jobs.get(job.id)).toMatchObject({ status: 'completed' });
      expect(unique(r.processed)).toBe(true);
      expect(r.processed).toHaveLength(27);
    } finally {
      await r.close();
    }
  });

  it('API 5xx during reconciliation makes the delivery retry; 501 lets the monotonic rules decide', async () => {
    const r = await rig({ events: ['video.completed', 'video.failed'] }, (g) => ({
      api: { baseUrl: g.baseUrl, apiKey: g.apiKey },
      reconcile: 'always',
    }));
    try {
      r.gateway.setFaults({ apiMode: '5xx' });
      const job = r.gateway.createVideo({ model: 'm', prompt: 'p' });
      // Heal the API as soon as the first attempt has been refused; the retry comes 60 ms later.
      while (r.gateway.deliveries().length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      r.gateway.setFaults({ apiMode: 'ok' });
      await settle(r);
      expect(r.gateway.deliveries().map((d) => d.responseStatus)).toEqual([503, 200]);
      expect(r.processed).toEqual([`evt_video_${job.id}_video_completed`]);
      r.gateway.setFaults({ apiMode: '501' });
      const second = r.gateway.createVideo({ model: 'm', prompt: 'p' });
      await settle(r);
      expect(await r.receiver.options.jobs.get(second.id)).toMatchObject({ status: 'completed', source: 'webhook' });
    } finally {
      await r.close();
    }
  });
});

describe('mock Video API', () => {
  let gateway: MockGateway;
  beforeAll(async () => {
    // Queued for 500 real ms, so the list below sees the new job as pending even on a busy machine.
    gateway = await createMockGateway({ timeScale: 1000, lifecycle: { queuedMs: 500_000 } });
  });
  afterAll(() => gateway.close());
  const call = (path: string, init: RequestInit = {}, key: string | null = gateway.apiKey) =>
    fetch(`${gateway.baseUrl}${path}`, {
      ...init,
      headers: {
        ...(key ? { authorization: `Bearer ${key}` } : {}),
        'content-type': 'application/json',
        ...init.headers,
      },
    });

  it('requires the bearer key with clear 401s', async () => {
    expect(await (await call('/videos', {}, null)).json()).toMatchObject({
      error: 'unauthorized',
      reason: 'missing_api_key',
    });
    const wrong = await call('/videos', {}, 'sk_wrong');
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ reason: 'invalid_api_key' });
  });

  it('creates, lists (limit required), serves content, signs download URLs, and refuses cancel with 501', async () => {
    const created = await call('/videos', {
      method: 'POST',
      body: JSON.stringify({ model: 'mock/video', prompt: 'a cat' }),
    });
    const video = (await created.json()) as { id: string; status: string; poll_after_seconds: number };
    expect(video).toMatchObject({ status: 'queued', poll_after_seconds: 20 });
    expect(video.id).toMatch(/^G-[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(await (await call('/videos')).json()).toMatchObject({ object: 'list', data: [] });
    expect(((await (await call('/videos?limit=5&status=pending')).json()) as { data: unknown[] }).data).toHaveLength(1);
    expect((await call(`/videos/${video.id}/content`)).status).toBe(409);
    expect((await call(`/videos/${video.id}/cancel`, { method: 'POST' })).status).toBe(501);
    await gateway.idle();
    const content = await call(`/videos/${video.id}/content`);
    expect(content.headers.get('content-type')).toBe('video/mp4');
    const bytes = Buffer.from(await content.arrayBuffer());
    expect(bytes.subarray(4, 8).toString()).toBe('ftyp');
    expect(await (await call(`/videos/${video.id}/download_url`, { method: 'POST' })).json()).toMatchObject({
      download_url: expect.stringContaining('/content?'),
    });
    expect((await call('/videos', { method: 'POST', body: '{"model":1}' })).status).toBe(400);
    expect((await call('/videos/G-missing')).status).toBe(404);
  });

  it('answers /healthz without a key, 405 for a method a route does not take, 404 for a bad id', async () => {
    expect(await (await fetch(`${gateway.url}/healthz`)).json()).toEqual({ ok: true });
    expect((await call('/videos', { method: 'DELETE' })).status).toBe(405);
    const job = gateway.createVideo({ model: 'm', prompt: 'p' });
    const wrong = await call(`/videos/${job.id}`, { method: 'PUT' });
    expect([wrong.status, await wrong.json()]).toEqual([405, expect.objectContaining({ error: 'method_not_allowed' })]);
    expect((await call(`/videos/${job.id}/cancel`)).status).toBe(405);
    expect((await call('/videos/%E0%A4%A')).status).toBe(404);
    expect((await call(`/batches/${job.id}`)).status).toBe(404);
  });

  it('refuses a download URL before completion and serves batches on /batches/{id} only', async () => {
    const video = gateway.createVideo({ model: 'm', prompt: 'p' });
    const early = await call(`/videos/${video.id}/download_url`, { method: 'POST' });
    expect([early.status, await early.json()]).toEqual([
      400,
      expect.objectContaining({ reason: 'video_download_requires_completed_status' }),
    ]);
    const batch = gateway.createBatch();
    expect(await (await call(`/batches/${batch.id}`)).json()).toMatchObject({
      id: batch.id,
      object: 'batch',
      status: 'pending',
    });
    expect((await call(`/videos/${batch.id}`)).status).toBe(404);
  });

  it('with the apiLag fault, the list shows and filters the same lagging status as GET /videos/{id}', async () => {
    const lagging = await createMockGateway({ timeScale: 1000, faults: { apiLag: true } });
    try {
      const video = lagging.createVideo({ model: 'm', prompt: 'p' });
      await lagging.idle(); // completed, as the webhooks said
      const get = (path: string) =>
        fetch(`${lagging.baseUrl}${path}`, { headers: { authorization: `Bearer ${lagging.apiKey}` } }).then(
          (res) => res.json() as Promise<{ status?: string; data?: { id: string; status: string }[] }>,
        );
      expect(await get(`/videos/${video.id}`)).toMatchObject({ status: 'processing' });
      expect((await get('/videos?limit=5')).data).toEqual([
        expect.objectContaining({ id: video.id, status: 'processing' }),
      ]);
      expect((await get('/videos?limit=5&status=completed')).data).toEqual([]);
      expect((await get('/videos?limit=5&status=in_progress')).data?.map((v) => v.id)).toEqual([video.id]);
    } finally {
      await lagging.close();
    }
  });

  it('answers reads with the apiMode fault: 502 upstream_error or the global 501', async () => {
    const video = gateway.createVideo({ model: 'm', prompt: 'p' });
    try {
      gateway.setFaults({ apiMode: '5xx' });
      const failed = await call(`/videos/${video.id}`);
      expect([failed.status, await failed.json()]).toEqual([502, expect.objectContaining({ error: 'upstream_error' })]);
      gateway.setFaults({ apiMode: '501' });
      const off = await call('/videos?limit=5');
      expect([off.status, await off.json()]).toEqual([
        501,
        expect.objectContaining({ error: 'not_implemented_yet', reason: 'video_api_temporarily_disabled' }),
      ]);
      expect((await call('/videos', { method: 'POST', body: '{"model":"m","prompt":"p"}' })).status).toBe(200);
    } finally {
      gateway.setFaults({ apiMode: 'ok' });
    }
  });
});
