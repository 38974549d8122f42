import { createVideosClient, parseRetryAfter, type VideosClient } from '@ai-stats-webhooks/core';
import { startScriptedApi, type ScriptedApi } from '../../../test/helpers/scripted-api';
import { fixture } from '../../../test/helpers/deliveries';
import { startStubApi, type StubApi } from '../../../test/helpers/stub-api';

let api: StubApi;
let client: VideosClient;
const completed = fixture<Record<string, unknown>>('video.get.completed.json');
const openai = fixture<Record<string, unknown>>('video.get.processing.openai.json');

beforeAll(async () => {
  api = await startStubApi();
  api.set(completed.id as string, completed);
  api.set(openai.id as string, openai);
  client = createVideosClient({ baseUrl: api.baseUrl, apiKey: 'sk_test', timeoutMs: 300 });
});
afterAll(() => api.close());
beforeEach(() => {
  api.mode = 'ok';
});

describe('createVideosClient', () => {
  it('gets a video with the bearer key, keeping unknown fields and OpenAI quirks', async () => {
    const video = await client.getVideo(openai.id as string);
    expect(video).toMatchObject({
      status: 'in_progress',
      seconds: '4',
      created_at: 1786528798,
      native_video_id: expect.any(String),
    });
    expect(api.requests.at(-1)?.authorization).toBe('Bearer sk_test');
  });

  it('keeps an answer whose informational fields have other types, with those fields null', async () => {
    const odd = {
      ...completed,
      id: 'G-ODDFIELDS',
      completed_at: 1786529000,
      provider: 42,
      model: { name: 'sora-2' },
      lifecycle_status: ['done'],
      outputs: [{ content_url: 'https://cdn.example/v.mp4', mime_type: 7 }],
    };
    const own = await startStubApi();
    own.set(odd.id, odd);
    const video = await createVideosClient({ baseUrl: own.baseUrl, apiKey: 'sk_test' })
      .getVideo(odd.id)
      .finally(() => own.close());
    expect(video).toMatchObject({ id: 'G-ODDFIELDS', status: 'completed', completed_at: 1786529000 });
    expect(video).toMatchObject({ provider: null, model: null, lifecycle_status: null });
    expect(video.outputs?.[0]).toMatchObject({ content_url: 'https://cdn.example/v.mp4', mime_type: null });
  });

  it('still refuses an answer whose read fields have other types', async () => {
    const own = await startStubApi();
    own.set('G-BADSTATUS', { ...completed, id: 'G-BADSTATUS', status: 3 });
    own.set('G-BADURL', { ...completed, id: 'G-BADURL', content_url: 5 });
    const ownClient = createVideosClient({ baseUrl: own.baseUrl, apiKey: 'sk_test' });
    try {
      for (const id of ['G-BADSTATUS', 'G-BADURL']) {
        await expect(ownClient.getVideo(id)).rejects.toMatchObject({ code: 'api_invalid_response' });
      }
    } finally {
      await own.close();
    }
  });

  it('always sends limit when listing', async () => {
    const list = await client.listVideos({ status: ['completed', 'failed'] });
    expect(api.requests.at(-1)?.url).toBe('/v1/videos?limit=20&status=completed%2Cfailed');
    expect(list.object).toBe('list');
    await client.listVideos({ limit: 2 });
    expect(api.requests.at(-1)?.url).toBe('/v1/videos?limit=2');
  });

  it.each([
    ['404', 'api_not_found', 404, /video_not_found_or_not_owned/],
    ['501', 'api_not_implemented', 501, /do not retry/],
    ['503', 'api_server_error', 503, /Retry with backoff/],
    ['html', 'api_invalid_response', 200, /JSON/],
  ] as const)('maps a %s answer to %s', async (mode, code, apiStatus, message) => {
    api.mode = mode;
    await expect(client.getVideo(completed.id as string)).rejects.toMatchObject({
      code,
      message: expect.stringMatching(message),
      details: { apiStatus },
    });
  });

  it('reads the 501 body reason', async () => {
    api.mode = '501';
    await expect(client.getVideo('G-x')).rejects.toMatchObject({
      details: { apiError: 'not_implemented_yet', apiReason: 'video_api_temporarily_disabled' },
    });
  });

  it('times out', async () => {
    api.mode = 'timeout';
    await expect(client.getVideo('G-x')).rejects.toMatchObject({ code: 'api_timeout', status: 503 });
  });

  it("a caller's signal cancels a JSON call, before the headers and while the body is read, with the signal's reason", async () => {
    const slow = createVideosClient({ baseUrl: api.baseUrl, apiKey: 'sk_test', timeoutMs: 60_000 });
    const reason = new Error('cancelled by the caller');
    for (const mode of ['timeout', 'stall-body'] as const) {
      api.mode = mode;
      const controller = new AbortController();
      const started = performance.now();
      const call = slow.getVideo('G-x', { signal: controller.signal }).catch((e: unknown) => e);
      setTimeout(() => controller.abort(reason), 50);
      expect(await call).toBe(reason);
      expect(performance.now() - started).toBeLessThan(5_000); // not the 60 s timeout
    }
    api.mode = 'timeout';
    const listing = new AbortController();
    const list = slow.listVideos({ signal: listing.signal }).catch((e: unknown) => e);
    listing.abort(reason);
    expect(await list).toBe(reason);
  });

  it('reports a wrong key without echoing it', async () => {
    const wrong = createVideosClient({ baseUrl: api.baseUrl, apiKey: 'sk_wrong' });
    const error = await wrong.getVideo('G-x').catch((e: Error) => e);
    expect(error).toMatchObject({ code: 'api_unauthorized' });
    expect((error as Error).message).not.toContain('sk_wrong');
  });

  it('reports a network error', async () => {
    const down = createVideosClient({ baseUrl: 'http://127.0.0.1:9/v1', apiKey: 'k' });
    await expect(down.getVideo('G-x')).rejects.toMatchObject({ code: 'api_network_error' });
  });

  it('never follows a redirect (a mode every runtime accepts, workerd included), and answers it as an error', async () => {
    const modes: (RequestRedirect | undefined)[] = [];
    const redirecting = createVideosClient({
      apiKey: 'sk_test',
      fetch: async (_url, init) => {
        modes.push(init?.redirect);
        return new Response(null, { status: 302, headers: { location: 'https://elsewhere.example/v1/videos/G-x' } });
      },
    });
    await expect(redirecting.getVideo('G-x')).rejects.toMatchObject({
      code: 'api_client_error',
      details: { apiStatus: 302 },
    });
    expect(modes).toEqual(['manual']);
  });

  it('validates its options', () => {
    expect(() => createVideosClient({ apiKey: '' })).toThrow(/Option "apiKey"/);
    expect(() => createVideosClient({ apiKey: 'k', baseUrl: 'nope' })).toThrow(/Option "baseUrl"/);
  });

  it('answers a body that stalls with api_timeout and one cut off with api_network_error (both temporary)', async () => {
    api.mode = 'stall-body';
    await expect(client.getVideo('G-x')).rejects.toMatchObject({ code: 'api_timeout', status: 503, retryable: true });
    api.mode = 'cut-body';
    await expect(client.getVideo('G-x')).rejects.toMatchObject({
      code: 'api_network_error',
      status: 503,
      retryable: true,
    });
  });

  it('refuses at construction a key that cannot be a header value, without quoting it', () => {
    for (const apiKey of ['sk_live_NEW\nsk_live_OLD', 'sk_live one', 'sk_lïve']) {
      const error = (() => {
        try {
          createVideosClient({ apiKey, baseUrl: api.baseUrl });
        } catch (e) {
          return e as Error & { code?: string };
        }
      })();
      expect(error).toMatchObject({ code: 'invalid_option', details: { option: 'apiKey' } });
      expect(error?.message).not.toMatch(/sk_l/);
    }
    expect(() => createVideosClient({ apiKey: '  sk_test\n', baseUrl: api.baseUrl })).not.toThrow();
  });

  it('refuses a base URL with credentials or another protocol than http(s), without quoting a password', () => {
    expect(() => createVideosClient({ apiKey: 'k', baseUrl: 'https://user:hunter2@api.example/v1' })).toThrow(
      /Option "baseUrl": expected a URL without user:password.*https:\/\/\*\*\*@api\.example\/v1/,
    );
    expect(() => createVideosClient({ apiKey: 'k', baseUrl: 'ftp://api.example/v1' })).toThrow(
      /Option "baseUrl": expected an absolute http\(s\) URL/,
    );
  });

  it('refuses a timeout longer than a timer can wait (it would fire at once)', () => {
    expect(() => createVideosClient({ apiKey: 'k', timeoutMs: 2 ** 31 })).toThrow(
      /Option "timeoutMs": expected an integer number of milliseconds from 1 to 2147483647, found 2147483648/,
    );
    expect(() => createVideosClient({ apiKey: 'k', timeoutMs: 2 ** 31 - 1 })).not.toThrow();
  });
});

describe('createVideosClient, hardened', () => {
  let scripted: ScriptedApi;
  let hardened: VideosClient;
  const video = fixture<Record<string, unknown>>('video.get.completed.json');
  const id = video.id as string;
  beforeAll(async () => {
    scripted = await startScriptedApi();
    hardened = createVideosClient({ baseUrl: scripted.baseUrl, apiKey: 'sk_test', timeoutMs: 300 });
  });
  afterAll(() => scripted.close());

  it.each([408, 425, 429])('treats %s as temporary (api_retry_later, 503) and reads Retry-After', async (status) => {
    scripted.answer = () => ({ status, headers: { 'retry-after': '7' }, body: { error: 'rate_limited' } });
    await expect(hardened.getVideo(id)).rejects.toMatchObject({
      code: 'api_retry_later',
      status: 503,
      retryable: true,
      details: { apiStatus: status, retryAfterMs: 7000 },
    });
  });

  it('reads Retry-After as an HTTP date, and ignores one it cannot read', () => {
    const now = Date.parse('2026-11-30T12:00:00Z');
    expect(parseRetryAfter('Mon, 30 Nov 2026 12:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  it('refuses an answer about another job (api_invalid_response), for videos and batches', async () => {
    scripted.answer = () => ({ status: 200, body: { ...video, id: 'G-SOMEONE-ELSE' } });
    await expect(hardened.getVideo(id)).rejects.toMatchObject({
      code: 'api_invalid_response',
      details: { requestedId: id, answeredId: 'G-SOMEONE-ELSE' },
    });
    const batch = fixture<{ body: { data: Record<string, unknown> } }>('batch.completed.json').body.data;
    scripted.answer = () => ({ status: 200, body: { ...batch, object: 'batch', id: 'batch_other' } });
    await expect(hardened.getBatch(batch.id as string)).rejects.toMatchObject({ code: 'api_invalid_response' });
  });

  it.each(['../admin', 'G-1/content', '..', '.', 'G 1', 'G-1?x=1', '%2e%2e', ''])(
    'never builds a URL from the id %j',
    async (bad) => {
      const before = scripted.paths.length;
      await expect(hardened.getVideo(bad)).rejects.toMatchObject({ code: 'invalid_job_id', status: 400 });
      await expect(hardened.getContent(bad)).rejects.toMatchObject({ code: 'invalid_job_id' });
      expect(scripted.paths.length).toBe(before);
    },
  );

  it('never quotes an upstream body, and keeps only identifier-like error codes', async () => {
    scripted.answer = () => ({
      status: 400,
      body: { error: 'bad request <script>', message: 'token sk_live_123 leaked' },
    });
    const error = (await hardened.getVideo(id).catch((e: Error) => e)) as Error;
    expect(error).toMatchObject({ code: 'api_client_error' });
    expect(error.message).not.toMatch(/sk_live_123|<script>/);
    scripted.answer = () => ({ status: 502, body: '<html>proxy password=hunter2</html>' });
    const plain = (await hardened.getVideo(id).catch((e: Error) => e)) as Error;
    expect(plain).toMatchObject({ code: 'api_server_error', details: { apiStatus: 502 } });
    expect(plain.message).not.toContain('hunter2');
  });

  it('never names the credentials of the base URL', () => {
    const error = (() => {
      try {
        createVideosClient({ baseUrl: 'http://user:s3cret@127.0.0.1:9/v1', apiKey: 'k' });
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error).toMatchObject({ code: 'invalid_option' });
    expect(error?.message).toContain('http://***@127.0.0.1:9/v1');
    expect(error?.message).not.toContain('s3cret');
    expect(() => createVideosClient({ apiKey: 'k', baseUrl: 'nope://user:pw@' })).not.toThrow(/pw/);
  });
});
