import type { RunningApp } from './example-app';
import { event, sign } from './deliveries';

/** The most jobs one `GET /api/jobs` answers without `?limit=`. */
const DEFAULT_LIMIT = 1000;
/** The largest `?limit=` the examples accept. */
const MAX_LIMIT = 10_000;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * `GET /api/jobs` is one page: `?limit=N` (1 to 10,000) newest first, 1,000 jobs when no limit is
 * given, 400 naming `limit` for anything else. Call it inside a `describe` whose `beforeAll`
 * started the app; `app()` reads it then.
 *
 * @example
 * ```ts
 * describeJobListLimit(() => app);
 * ```
 */
export function describeJobListLimit(app: () => RunningApp): void {
  const deliver = async (jobId: string) => {
    const d = sign(event('video.progress.50.json', { jobId }));
    const res = await fetch(`${app().url}/webhooks/ai-stats`, { method: 'POST', headers: d.headers, body: d.body });
    if (res.status !== 200) throw new Error(`delivery for ${jobId} answered ${res.status}: ${await res.text()}`);
  };
  const list = async (query: string) => {
    const res = await fetch(`${app().url}/api/jobs${query}`);
    return { status: res.status, body: (await res.json()) as any };
  };

  it('GET /api/jobs?limit=N answers the N newest jobs, newest first', async () => {
    const ids = ['G-LIMIT-A', 'G-LIMIT-B', 'G-LIMIT-C'];
    for (const id of ids) {
      await deliver(id);
      await pause(5); // distinct creation times
    }
    const { status, body } = await list('?limit=2');
    expect(status).toBe(200);
    expect(body.data.map((job: { id: string }) => job.id)).toEqual(['G-LIMIT-C', 'G-LIMIT-B']);
    expect((await list(`?limit=${MAX_LIMIT}`)).status).toBe(200);
  });

  it(`GET /api/jobs without a limit answers at most ${DEFAULT_LIMIT} jobs`, async () => {
    const ids = Array.from({ length: DEFAULT_LIMIT + 5 }, (_, i) => `G-PAGE${i}`);
    for (let i = 0; i < ids.length; i += 20) await Promise.all(ids.slice(i, i + 20).map(deliver));
    const { status, body } = await list('');
    expect([status, body.data.length]).toEqual([200, DEFAULT_LIMIT]);
    expect(ids.slice(-20)).toContain(body.data[0].id); // the last batch, delivered concurrently
  }, 120_000);

  it.each([['0'], ['-1'], ['abc'], ['1.5'], ['1e2'], [String(MAX_LIMIT + 1)], ['']])(
    'GET /api/jobs?limit=%p answers 400 naming limit',
    async (limit) => {
      const { status, body } = await list(`?limit=${limit}`);
      expect(status).toBe(400);
      expect(body).toEqual({
        error: 'invalid_request',
        message: expect.stringMatching(new RegExp(`limit.*1 to ${MAX_LIMIT}\\b`)),
      });
    },
  );
}
