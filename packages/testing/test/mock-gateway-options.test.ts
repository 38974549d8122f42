import { createMockGateway, type MockGateway, type MockGatewayOptions } from '@ai-stats-webhooks/testing';

// Bad options and bad createVideo / createBatch input throw at the call, with a message that says
// what was expected, what was found and the fix: never later, from a timer (which would end the
// whole process), and never as a raw TypeError from deep inside the mock.

const CLEAR = /expected .+, found .+\. Fix: /;

describe('createMockGateway options', () => {
  const bad: [string, unknown, RegExp][] = [
    ['null options', null, /options/],
    ['a string as options', 'fast', /options/],
    ['webhookUrl that is not a URL', { webhookUrl: 'notaurl' }, /options\.webhookUrl/],
    ['webhookUrl with ftp', { webhookUrl: 'ftp://x/y' }, /options\.webhookUrl/],
    ['events with an unknown name', { events: ['job.completed', 'bogus'] }, /options\.events.*"bogus"/],
    ['events as a string', { events: 'job.completed' }, /options\.events/],
    ['timeScale as a string', { timeScale: 'fast' }, /options\.timeScale|timeScale/],
    ['timeScale Infinity', { timeScale: Infinity }, /timeScale/],
    ['readings out of 0–100', { lifecycle: { readings: [150, -5] } }, /options\.lifecycle\.readings/],
    ['readings as a string', { lifecycle: { readings: '12,33' } }, /options\.lifecycle\.readings/],
    ['a negative stepMs', { lifecycle: { stepMs: -1 } }, /options\.lifecycle\.stepMs/],
    ['a port that is not a number', { port: 'abc' }, /options\.port/],
    ['a port that is not an integer', { port: 4500.5 }, /options\.port/],
    ['a port above 65535', { port: 70_000 }, /options\.port/],
    ['duplicate above 1', { faults: { duplicate: 5 } }, /options\.faults\.duplicate/],
    ['a negative drop', { faults: { drop: -0.1 } }, /options\.faults\.drop/],
    ['an unknown apiMode', { faults: { apiMode: 'nope' } }, /options\.faults\.apiMode/],
    ['an unknown duplicateMode', { faults: { duplicateMode: 'twice' } }, /options\.faults\.duplicateMode/],
    ['a misspelt fault', { faults: { duplicates: 0.5 } }, /options\.faults.*"duplicates"/],
    ['an empty failKeyword', { failKeyword: '' }, /options\.failKeyword/],
    ['a negative timeoutMs', { timeoutMs: -1 }, /options\.timeoutMs/],
    ['an empty apiKey', { apiKey: '' }, /options\.apiKey/],
    ['a seed that is not a number', { seed: 'abc' }, /options\.seed/],
    ['a secret that is not a string', { secret: 42 }, /options\.secret/],
  ];

  it.each(bad)('refuses %s with a clear error naming the option', async (_name, options, names) => {
    const error = await createMockGateway(options as MockGatewayOptions).then(
      async (accepted) => (await accepted.close(), undefined),
      (e: unknown) => e,
    );
    expect(error instanceof TypeError || error instanceof RangeError).toBe(true);
    expect((error as Error).message).toMatch(names);
    expect((error as Error).message).toMatch(CLEAR);
  });

  it('accepts every good option, and setFaults checks its faults the same way', async () => {
    const gateway = await createMockGateway({
      port: 0,
      apiKey: 'sk_test',
      secret: 'whsec_x',
      webhookUrl: 'https://example.test/webhooks',
      events: ['job.completed', 'video.progress', 'failed', 'Job.Canceled'],
      timeScale: 1000,
      lifecycle: { queuedMs: 0, stepMs: 10, readings: [0, 50, 100] },
      failKeyword: 'nope',
      faults: { duplicate: 0, duplicateMode: 'sequential', reorder: 1, reorderDelayMs: 0, drop: 0.5, apiMode: 'ok' },
      seed: 3,
      timeoutMs: 500,
    });
    try {
      expect(() => gateway.setFaults({ reorder: 2 })).toThrow(/faults\.reorder/);
      expect(() => gateway.setFaults({ apiMode: 'x' as 'ok' })).toThrow(CLEAR);
      expect(() => gateway.setFaults({ apiMode: '501' })).not.toThrow();
      expect(() => gateway.rotateSecret(42 as unknown as string)).toThrow(/rotateSecret/);
    } finally {
      await gateway.close();
    }
  });
});

describe('createVideo and createBatch input', () => {
  let gateway: MockGateway;
  beforeAll(async () => {
    gateway = await createMockGateway({ timeScale: 1000, lifecycle: { queuedMs: 1, stepMs: 1, readings: [50] } });
  });
  afterAll(() => gateway.close());

  const badVideos: [string, unknown, RegExp][] = [
    ['no body', undefined, /createVideo/],
    ['no prompt', { model: 'm' }, /prompt/],
    ['an empty prompt', { model: 'm', prompt: '  ' }, /prompt/],
    ['no model', { prompt: 'p' }, /model/],
    ['a webhook that is not an object', { model: 'm', prompt: 'p', webhook: 'http://x' }, /webhook/],
    ['a webhook url that is not http(s)', { model: 'm', prompt: 'p', webhook: { url: 'ftp://x' } }, /webhook\.url/],
    ['webhook events as a string', { model: 'm', prompt: 'p', webhook: { events: 'job.completed' } }, /events/],
    ['webhook events with nothing valid', { model: 'm', prompt: 'p', webhook: { events: ['bogus'] } }, /events/],
    ['batch-only events', { model: 'm', prompt: 'p', webhook: { events: ['batch.completed'] } }, /events/],
    ['fail that is not a boolean', { model: 'm', prompt: 'p', fail: 'yes' }, /fail/],
  ];

  it.each(badVideos)('createVideo refuses %s at the call, storing nothing', (_name, body, names) => {
    const before = gateway.jobs().length;
    const call = () => gateway.createVideo(body as Parameters<MockGateway['createVideo']>[0]);
    expect(call).toThrow(names);
    expect(call).toThrow(CLEAR);
    expect(gateway.jobs()).toHaveLength(before);
  });

  const badBatches: [string, unknown, RegExp][] = [
    ['an unknown outcome', { outcome: 'bogus' }, /outcome.*"bogus"/],
    ['a model that is not a string', { model: 7 }, /model/],
    ['webhook events with nothing valid', { webhook: { events: ['video.progress', 'nope'] } }, /events/],
    ['a string as options', 'failed', /createBatch/],
  ];

  it.each(badBatches)('createBatch refuses %s at the call, storing nothing', (_name, options, names) => {
    const before = gateway.jobs().length;
    const call = () => gateway.createBatch(options as Parameters<MockGateway['createBatch']>[0]);
    expect(call).toThrow(names);
    expect(call).toThrow(CLEAR);
    expect(gateway.jobs()).toHaveLength(before);
  });

  it('keeps valid input working: unknown event names are dropped when a valid one remains', async () => {
    const video = gateway.createVideo({ model: 'm', prompt: 'p', webhook: { events: ['job.completed', 'bogus'] } });
    const batch = gateway.createBatch({ outcome: 'expired', webhook: { events: ['batch.failed'] } });
    await gateway.idle();
    expect(gateway.job(video.id)?.status).toBe('completed');
    expect(gateway.job(batch.id)?.status).toBe('expired');
  });
});

describe('createMockGateway on a port in use', () => {
  it('rejects with the port and the fix instead of never settling', async () => {
    const first = await createMockGateway({ timeScale: 1000 });
    try {
      const port = Number(new URL(first.baseUrl).port);
      await expect(createMockGateway({ timeScale: 1000, port })).rejects.toThrow(
        new RegExp(
          `^createMockGateway: expected to listen on 127\\.0\\.0\\.1:${port}, found .*EADDRINUSE.*Fix: pass another port`,
        ),
      );
    } finally {
      await first.close();
    }
  });
});
