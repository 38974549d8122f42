import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDelivery, createMockGateway } from '@ai-stats-webhooks/testing';
import { fixture } from '../../../test/helpers/deliveries';
import { videoData } from '../src/video-data';

/** True when `keys` appear in `reference` in the same relative order (a subsequence). */
const inSenderOrder = (keys: string[], reference: string[]) => {
  let at = 0;
  return keys.every((key) => (at = reference.indexOf(key, at)) !== -1);
};
const SENDER_KEYS = Object.keys(fixture('video.failed.attempt2.json').body.data);

describe('videoData', () => {
  it('builds the sender fields in the sender order (spec §6.2)', () => {
    const data = videoData({ id: 'G-1', status: 'in_progress', progress: 50 });
    expect(inSenderOrder(Object.keys(data), SENDER_KEYS)).toBe(true);
    expect(data).toMatchObject({
      id: 'G-1',
      object: 'video',
      kind: 'video',
      status: 'processing',
      lifecycle_status: 'running',
      request_id: 'G-1',
      progress: 50,
      polling_url: 'https://api.phaseo.app/v1/videos/G-1',
      websocket_url: 'wss://api.phaseo.app/v1/async/video/G-1/ws',
      content_url: 'https://api.phaseo.app/v1/videos/G-1/content',
      upstream_error: null,
      pricing_breakdown: null,
    });
    expect(data).not.toHaveProperty('webhook');
  });

  it('builds its URLs under the given API base URL (the mock gateway passes its own)', () => {
    const data = videoData({ id: 'G-1', status: 'completed', baseUrl: 'http://127.0.0.1:45520/v1' });
    expect(data).toMatchObject({
      polling_url: 'http://127.0.0.1:45520/v1/videos/G-1',
      websocket_url: 'ws://127.0.0.1:45520/v1/async/video/G-1/ws',
      content_url: 'http://127.0.0.1:45520/v1/videos/G-1/content',
    });
  });

  it('defaults progress to 100 when completed and 0 otherwise, and prices a completed job', () => {
    expect(videoData({ id: 'G-1', status: 'completed' })).toMatchObject({
      progress: 100,
      pricing_breakdown: { total_nanos: 400_000_000, total_usd_str: '0.400000000' },
    });
    expect(videoData({ id: 'G-1', status: 'queued' })).toMatchObject({ progress: 0, lifecycle_status: 'pending' });
  });

  it('fills upstream_error when failed, unless given', () => {
    expect(videoData({ id: 'G-1', status: 'failed' }).upstream_error).toEqual(
      fixture('video.failed.attempt2.json').body.data.upstream_error,
    );
    expect(videoData({ id: 'G-1', status: 'failed', upstreamError: null }).upstream_error).toBeNull();
  });

  it('is the one builder: createDelivery and the mock gateway send the same video fields in the same order', async () => {
    const bodies: { type: string; data: Record<string, unknown> }[] = [];
    const server: Server = createServer((req, res) => {
      let text = '';
      req.on('data', (chunk: Buffer) => (text += chunk.toString()));
      req.on('end', () => {
        bodies.push(JSON.parse(text) as (typeof bodies)[number]);
        res.end('{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const gateway = await createMockGateway({
      webhookUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
      timeScale: 1000,
      events: ['video.completed', 'video.failed'],
    });
    try {
      gateway.createVideo({ model: 'm', prompt: 'p' });
      gateway.createVideo({ model: 'm', prompt: 'p', fail: true });
      await gateway.idle();
    } finally {
      await gateway.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    expect(bodies.map((b) => b.type).sort()).toEqual(['video.completed', 'video.failed']);
    for (const sent of bodies) {
      const { webhook: _webhook, ...mock } = sent.data;
      const built = createDelivery({ type: sent.type as 'video.completed' }).data;
      expect(Object.keys(built)).toEqual(Object.keys(mock));
      expect(built.upstream_error).toEqual(mock.upstream_error);
      expect(inSenderOrder(Object.keys(sent.data), SENDER_KEYS)).toBe(true);
    }
  });
});
