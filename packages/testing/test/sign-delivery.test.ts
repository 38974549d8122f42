import { createHmac } from 'node:crypto';
import { signDelivery, type SignDeliveryOptions } from '@ai-stats-webhooks/testing';

const hmac = (secret: string, timestamp: string, body: string | Buffer) =>
  createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');

describe('signDelivery input', () => {
  it('signs Buffer and Uint8Array bodies as the bytes they are, not as {"type":"Buffer"}', async () => {
    const text =
      '{"id":"evt_1","type":"video.completed","delivery":{"key":"video.completed","attempt":1,"max_attempts":4},"data":{"id":"G-1","note":"é"}}';
    for (const bytes of [Buffer.from(text), new Uint8Array(Buffer.from(text))]) {
      const signed = await signDelivery({ secret: 's', body: bytes, timestamp: 100 });
      expect(signed.body).toBe(text);
      expect(signed.headers['x-phaseo-signature']).toBe(hmac('s', '100', Buffer.from(text)));
      expect(signed.headers['x-phaseo-event-id']).toBe('evt_1');
    }
  });

  it('refuses bytes that are not UTF-8, which it could not return as the string it signed', async () => {
    await expect(signDelivery({ secret: 's', body: Buffer.from([0xff, 0xfe, 0x7b]) })).rejects.toThrow(
      /signDelivery: expected options\.body bytes to be UTF-8 .*found 3 bytes \(Buffer\)\. Fix: /,
    );
  });

  const bad = (options: unknown) => signDelivery(options as SignDeliveryOptions);
  it.each([
    ['no options', undefined, TypeError, /expected an options object \{ secret, body \}, found undefined\. Fix: /],
    [
      'a timestamp in ms',
      { secret: 's', body: {}, timestamp: 1786528925000 },
      RangeError,
      /whole Unix seconds.*found 1786528925000\. Fix: .*milliseconds.*Math\.floor\(ms \/ 1000\)/,
    ],
    ['a timestamp "abc"', { secret: 's', body: {}, timestamp: 'abc' }, TypeError, /whole Unix seconds.*found "abc"/],
    ['a timestamp 1.5', { secret: 's', body: {}, timestamp: 1.5 }, RangeError, /whole Unix seconds.*found 1\.5/],
    ['a timestamp -1', { secret: 's', body: {}, timestamp: -1 }, RangeError, /whole Unix seconds.*found -1/],
    [
      'prefix "foo"',
      { secret: 's', body: {}, prefix: 'foo' },
      RangeError,
      /options\.prefix to be 'phaseo' .*or 'ai-stats'.*found "foo"/,
    ],
    ['no secret', { body: {} }, TypeError, /options\.secret .*found undefined\. Fix: pass \{ secret \}/],
    ['an empty secret', { secret: '  ', body: {} }, TypeError, /options\.secret .*found " {2}"/],
    ['no body', { secret: 's' }, TypeError, /options\.body to be an event object, a string or bytes, found undefined/],
  ])('refuses %s, saying expected / found / fix', async (_name, options, kind, message) => {
    await expect(bad(options)).rejects.toThrow(kind);
    await expect(bad(options)).rejects.toThrow(message);
    await expect(bad(options)).rejects.toThrow(/^signDelivery: expected .*, found .*\. Fix: /);
  });

  it('never tells the caller to set an environment variable it does not read', async () => {
    await expect(bad({ body: {} })).rejects.not.toThrow(/set AI_STATS_WEBHOOK_SECRET/);
  });

  it('still signs whole seconds, both prefixes, and a string body as given', async () => {
    const signed = await signDelivery({ secret: 's', body: '{"a":1}', timestamp: 1786528925, prefix: 'ai-stats' });
    expect(signed.headers['x-ai-stats-timestamp']).toBe('1786528925');
    expect(signed.headers['x-ai-stats-signature']).toBe(hmac('s', '1786528925', '{"a":1}'));
  });
});
