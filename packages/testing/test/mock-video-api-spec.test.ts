import { createMockGateway, type MockGateway } from '@ai-stats-webhooks/testing';

// The mock Video API against the wire spec (§5, §8.2–§8.4): create-body validation, the list
// route's order / cursor / paging / status filter, signed download URLs, and the content route's
// errors.

interface List {
  data: { id: string; status: string }[];
  first_id: string | null;
  last_id: string | null;
  has_more: boolean;
}

// A lifecycle of a few real ms; no webhook URL, so nothing is delivered.
const start = () => createMockGateway({ timeScale: 1000, lifecycle: { queuedMs: 1, stepMs: 1, readings: [50] } });
let gateway: MockGateway;
beforeAll(async () => {
  gateway = await start();
});
afterAll(() => gateway.close());

const call = (path: string, init: RequestInit = {}, key: string | null = gateway.apiKey, on = gateway) =>
  fetch(path.startsWith('http') ? path : `${on.baseUrl}${path}`, {
    ...init,
    headers: {
      ...(key ? { authorization: `Bearer ${key}` } : {}),
      'content-type': 'application/json',
      ...init.headers,
    },
  });
const post = (path: string, body: unknown) => call(path, { method: 'POST', body: JSON.stringify(body) });

describe('POST /v1/videos validates the body before storing anything (spec §5)', () => {
  const bad: [string, unknown][] = [
    ['events as a string', { model: 'm', prompt: 'p', webhook: { events: 'job.completed' } }],
    ['events with nothing valid', { model: 'm', prompt: 'p', webhook: { events: ['bogus'] } }],
    ['events of the other kind only', { model: 'm', prompt: 'p', webhook: { events: ['batch.completed'] } }],
    ['events with a non-string', { model: 'm', prompt: 'p', webhook: { events: [1] } }],
    ['a webhook url that is a number', { model: 'm', prompt: 'p', webhook: { url: 12 } }],
    ['a webhook url that is not a URL', { model: 'm', prompt: 'p', webhook: { url: 'notaurl' } }],
    ['a webhook that is a string', { model: 'm', prompt: 'p', webhook: 'http://127.0.0.1:9/' }],
    ['an array body', [{ model: 'm', prompt: 'p' }]],
  ];

  it.each(bad)('answers 400 validation_error for %s, with no job stored', async (_name, body) => {
    const before = gateway.jobs().length;
    const res = await post('/videos', body);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'validation_error', message: expect.any(String) });
    expect(gateway.jobs()).toHaveLength(before);
  });

  it('accepts a list with a valid name (unknown names are dropped) and keeps the list as given', async () => {
    const events = ['job.completed', 'bogus'];
    const res = await post('/videos', { model: 'm', prompt: 'p', webhook: { events } });
    expect(res.status).toBe(200);
    const { id } = (await res.json()) as { id: string };
    expect(gateway.job(id)?.webhook.events).toEqual(events);
  });
});

describe('GET /v1/videos (spec §8.3)', () => {
  // Three videos (and a batch) on a gateway of their own: newest first is [c, b, a].
  let own: MockGateway;
  let ids: string[] = [];
  beforeAll(async () => {
    own = await start();
    const a = own.createVideo({ model: 'm', prompt: 'a' });
    const b = own.createVideo({ model: 'm', prompt: 'b', fail: true });
    const c = own.createVideo({ model: 'm', prompt: 'c' });
    own.createBatch();
    await own.idle();
    ids = [c.id, b.id, a.id];
  });
  afterAll(() => own.close());
  const get = (query: string) => call(`/videos?${query}`, {}, own.apiKey, own);
  const list = async (query: string) => (await (await get(query)).json()) as List;

  it('is newest first, pages with limit and has_more, and follows the after cursor', async () => {
    const first = await list('limit=1');
    expect(first).toMatchObject({ object: 'list', first_id: ids[0], last_id: ids[0], has_more: true });
    expect(first.data.map((v) => v.id)).toEqual([ids[0]]);
    const second = await list(`limit=1&after=${first.last_id}`);
    expect(second.data.map((v) => v.id)).toEqual([ids[1]]);
    expect(second.has_more).toBe(true);
    const last = await list(`limit=5&after=${second.last_id}`);
    expect(last.data.map((v) => v.id)).toEqual([ids[2]]);
    expect(last.has_more).toBe(false);
    expect((await list('limit=3')).has_more).toBe(false);
  });

  it('takes order=asc and order=desc', async () => {
    expect((await list('limit=10&order=asc')).data.map((v) => v.id)).toEqual([...ids].reverse());
    expect((await list('limit=10&order=desc')).data.map((v) => v.id)).toEqual(ids);
    const asc = await list(`limit=1&order=asc&after=${ids[2]}`);
    expect(asc.data.map((v) => v.id)).toEqual([ids[1]]);
  });

  it('filters on status words and aliases, and refuses an unknown word, order or limit with 400', async () => {
    expect((await list('limit=10&status=error')).data.map((v) => v.id)).toEqual([ids[1]]);
    expect((await list('limit=10&status=succeeded')).data.map((v) => v.id)).toEqual([ids[0], ids[2]]);
    expect((await list('limit=10&status=failed,completed')).data).toHaveLength(3);
    expect((await list('limit=10&status=failed&status=queued')).data).toHaveLength(1);
    for (const query of ['limit=10&status=bogus', 'limit=10&order=sideways']) {
      const res = await get(query);
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: 'validation_error' });
    }
  });

  it('clamps limit to 0–100; an omitted limit is an empty page', async () => {
    expect((await list('')).data).toEqual([]);
    expect((await list('limit=-3')).data).toEqual([]);
    expect((await list('limit=1000')).data).toHaveLength(3);
  });
});

describe('content and download_url (spec §8.2, §8.4)', () => {
  const completedVideo = async () => {
    const video = gateway.createVideo({ model: 'm', prompt: 'p' });
    await gateway.idle();
    return video;
  };
  const signedUrl = async (id: string, body: unknown = {}) => {
    const res = await post(`/videos/${id}/download_url`, body);
    return (await res.json()) as { download_url: string; expires_at: number };
  };

  it('serves a signed download_url without a Bearer header, with Content-Disposition', async () => {
    const video = await completedVideo();
    const { download_url, expires_at } = await signedUrl(video.id);
    expect(expires_at - Date.now() / 1000).toBeGreaterThan(890);
    const url = new URL(download_url);
    expect([...url.searchParams.keys()].sort()).toEqual(['download_sig', 'download_token', 'expires_at']);
    const res = await call(download_url, {}, null);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('video/mp4');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment/);
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.subarray(4, 8).toString()).toBe('ftyp');
    const inline = await signedUrl(video.id, { disposition: 'inline', ttl_seconds: 5 });
    expect(inline.expires_at - Date.now() / 1000).toBeGreaterThan(55); // clamped to 60 s
    expect((await call(inline.download_url, {}, null)).headers.get('content-disposition')).toMatch(/^inline/);
  });

  it('refuses an expired, tampered or other video signed URL', async () => {
    const video = await completedVideo();
    const other = await completedVideo();
    const { download_url } = await signedUrl(video.id);
    const tampered = new URL(download_url);
    tampered.searchParams.set('download_sig', 'a'.repeat(64));
    const expired = new URL(download_url);
    expired.searchParams.set('expires_at', String(Math.floor(Date.now() / 1000) - 10));
    for (const url of [tampered, expired]) {
      const res = await call(url.href, {}, null);
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ error: 'unauthorized' });
    }
    const moved = new URL(download_url.replace(video.id, other.id));
    const mismatch = await call(moved.href, {}, null);
    expect(mismatch.status).toBe(400);
    expect(await mismatch.json()).toMatchObject({
      error: 'validation_error',
      reason: 'signed_download_video_mismatch',
    });
    expect((await call(`/videos/${video.id}/content?download_token=x`, {}, null)).status).toBe(401);
    expect((await call(`/videos/${video.id}/content`, {}, null)).status).toBe(401);
  });

  it('answers a failed video with upstream_error video_generation_failed, not not_ready', async () => {
    const video = gateway.createVideo({ model: 'm', prompt: 'p', fail: true });
    await gateway.idle();
    const res = await call(`/videos/${video.id}/content`);
    expect(res.status).toBe(502);
    expect(await res.json()).toMatchObject({ error: 'upstream_error', reason: 'video_generation_failed' });
  });

  it('has no content, download_url or cancel route for batches', async () => {
    const batch = gateway.createBatch();
    await gateway.idle();
    for (const sub of ['content', 'download_url', 'cancel']) {
      const res = await call(`/batches/${batch.id}/${sub}`, { method: sub === 'content' ? 'GET' : 'POST' });
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ error: 'not_found' });
    }
  });

  it('serves GET /v1/video/generations/{id} as an alias of GET /v1/videos/{id}', async () => {
    const video = await completedVideo();
    const res = await call(`/video/generations/${video.id}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id: video.id, object: 'video', status: 'completed' });
  });
});
