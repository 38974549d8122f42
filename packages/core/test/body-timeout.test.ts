import { createReceiver, type BodyReader } from '@ai-stats-webhooks/core';
import { SECRET, fixture, sign } from '../../../test/helpers/deliveries';

const silent = { logger: {} };
const never: BodyReader = () => new Promise(() => undefined);

describe('the body-read timeout', () => {
  it('times out a reader that takes no signal, and makes no AbortController for it', async () => {
    const receiver = createReceiver({ secret: SECRET, bodyTimeoutMs: 30, ...silent });
    let signal: unknown = 'not called';
    const oneParameter = function (_limit: number) {
      // eslint-disable-next-line prefer-rest-params
      signal = arguments[1];
      return new Promise(() => undefined);
    } as BodyReader;
    const started = Date.now();
    const headers = { 'content-type': 'application/json' };
    const res = await receiver.handle({ method: 'POST', headers, rawBody: oneParameter });
    expect(res.status).toBe(408);
    expect(res.headers.connection).toBe('close');
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
    expect(signal).toBeUndefined();
  });

  it('expires each pending read at its own deadline', async () => {
    const slow = createReceiver({ secret: SECRET, bodyTimeoutMs: 400, ...silent });
    const fast = createReceiver({ secret: SECRET, bodyTimeoutMs: 40, ...silent });
    const headers = { 'content-type': 'application/json' };
    const started = Date.now();
    const at = (promise: Promise<{ status: number }>) =>
      promise.then(({ status }) => ({ status, after: Date.now() - started }));
    const [long, short] = await Promise.all([
      at(slow.handle({ method: 'POST', headers, rawBody: never })),
      at(fast.handle({ method: 'POST', headers, rawBody: never })),
    ]);
    expect(short.status).toBe(408);
    expect(short.after).toBeLessThan(300);
    expect(long).toMatchObject({ status: 408 });
    expect(long.after).toBeGreaterThanOrEqual(390);
  });

  it('lets reads that end in time pass, while another read is still pending', async () => {
    const receiver = createReceiver({ secret: SECRET, bodyTimeoutMs: 60, ...silent });
    const d = sign(fixture('video.completed.json'));
    const stalled = receiver.handle({ method: 'POST', headers: d.headers, rawBody: never });
    const late =
      (ms: number): BodyReader =>
      () =>
        new Promise((resolve) => setTimeout(() => resolve(d.body), ms));
    const ok = await receiver.handle({ method: 'POST', headers: d.headers, rawBody: late(20) });
    expect(ok.status).toBe(200);
    expect((await stalled).status).toBe(408);
    const duplicate = await receiver.handle({ method: 'POST', headers: d.headers, rawBody: late(70) });
    expect(duplicate.status).toBe(408);
  });
});
