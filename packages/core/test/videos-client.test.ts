import { createVideosClient, type VideosClient } from '@ai-stats-webhooks/core';
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

  it('validates its options', () => {
    expect(() => createVideosClient({ apiKey: '' })).toThrow(/Option "apiKey"/);
    expect(() => createVideosClient({ apiKey: 'k', baseUrl: 'nope' })).toThrow(/Option "baseUrl"/);
  });
});
