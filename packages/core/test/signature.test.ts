import { verifySignature, readDeliveryHeaders } from '@ai-stats-webhooks/core';
import { SECRET, fixture, sign } from '../../../test/helpers/deliveries';

const T = 1786528925;
const NOW = T * 1000;
const delivery = (options: Parameters<typeof sign>[1] = {}) =>
  sign(fixture('video.completed.json'), { timestamp: T, ...options });

describe('verifySignature', () => {
  it('accepts a valid delivery and says which secret and prefix matched', async () => {
    const d = delivery();
    await expect(
      verifySignature({ rawBody: d.body, headers: d.headers, secret: SECRET, now: NOW }),
    ).resolves.toMatchObject({
      timestamp: T,
      prefix: 'phaseo',
      secretIndex: 0,
    });
  });

  it('accepts the x-ai-stats- generation', async () => {
    const d = delivery({ prefix: 'ai-stats' });
    await expect(
      verifySignature({ rawBody: d.body, headers: d.headers, secret: SECRET, now: NOW }),
    ).resolves.toMatchObject({ prefix: 'ai-stats' });
  });

  it('never mixes prefixes: a phaseo timestamp with an ai-stats signature is missing its signature', async () => {
    const d = delivery();
    const headers = {
      'x-phaseo-timestamp': d.headers['x-phaseo-timestamp']!,
      'x-ai-stats-signature': d.headers['x-phaseo-signature']!,
    };
    await expect(verifySignature({ rawBody: d.body, headers, secret: SECRET, now: NOW })).rejects.toMatchObject({
      code: 'missing_signature',
    });
  });

  it('rejects a tampered body', async () => {
    const d = delivery();
    await expect(
      verifySignature({
        rawBody: d.body.replace('"completed"', '"failed"'),
        headers: d.headers,
        secret: SECRET,
        now: NOW,
      }),
    ).rejects.toMatchObject({ code: 'signature_mismatch', status: 401 });
  });

  it('checks the tolerance in both directions, inclusive at the edge', async () => {
    const d = delivery();
    const verify = (nowMs: number) =>
      verifySignature({ rawBody: d.body, headers: d.headers, secret: SECRET, now: nowMs });
    await expect(verify(NOW + 300_000)).resolves.toBeDefined();
    await expect(verify(NOW - 300_000)).resolves.toBeDefined();
    await expect(verify(NOW + 301_000)).rejects.toMatchObject({ code: 'timestamp_too_old' });
    await expect(verify(NOW - 301_000)).rejects.toMatchObject({ code: 'timestamp_in_future' });
    await expect(
      verifySignature({
        rawBody: d.body,
        headers: d.headers,
        secret: SECRET,
        now: NOW + 3_600_000,
        toleranceSeconds: 7200,
      }),
    ).resolves.toBeDefined();
  });

  it('accepts any of several secrets (rotation) and trims them', async () => {
    const d = delivery({ secret: 'whsec_new' });
    await expect(
      verifySignature({ rawBody: d.body, headers: d.headers, secret: [' whsec_old ', '', 'whsec_new\n'], now: NOW }),
    ).resolves.toMatchObject({ secretIndex: 1 });
    await expect(
      verifySignature({ rawBody: d.body, headers: d.headers, secret: ['whsec_old'], now: () => NOW }),
    ).rejects.toMatchObject({
      code: 'signature_mismatch',
    });
  });

  it('refuses to run without a secret', async () => {
    const d = delivery();
    await expect(
      verifySignature({ rawBody: d.body, headers: d.headers, secret: ['  '], now: NOW }),
    ).rejects.toMatchObject({
      code: 'invalid_option',
      details: { option: 'secret' },
    });
  });

  it.each([
    ['milliseconds', String(NOW), /milliseconds/],
    ['ISO', '2026-08-12T10:02:05Z', /ISO/],
    ['negative', '-1786528925', /Unix seconds/],
    ['non-numeric', 'abc', /Unix seconds/],
  ])('rejects a %s timestamp with a message that says why', async (_name, timestamp, message) => {
    const d = delivery();
    const headers = { ...d.headers, 'x-phaseo-timestamp': timestamp };
    await expect(verifySignature({ rawBody: d.body, headers, secret: SECRET, now: NOW })).rejects.toMatchObject({
      code: 'invalid_timestamp',
      message: expect.stringMatching(message),
    });
  });

  it.each([
    ['sha256= prefix', (s: string) => `sha256=${s}`, /sha256=/],
    ['too short', (s: string) => s.slice(2), /64 hex/],
    ['not hex', (s: string) => `zz${s.slice(2)}`, /64 hex/],
    ['two values', (s: string) => `${s}, ${s}`, /64 hex/],
  ])('rejects a signature %s as malformed', async (_name, change, message) => {
    const d = delivery();
    const headers = { ...d.headers, 'x-phaseo-signature': change(d.headers['x-phaseo-signature']!) };
    await expect(verifySignature({ rawBody: d.body, headers, secret: SECRET, now: NOW })).rejects.toMatchObject({
      code: 'invalid_signature_format',
      message: expect.stringMatching(message),
    });
  });

  it('names the missing header', async () => {
    const d = delivery();
    const { 'x-phaseo-timestamp': _t, 'x-phaseo-signature': _s, ...rest } = d.headers;
    await expect(verifySignature({ rawBody: d.body, headers: rest, secret: SECRET, now: NOW })).rejects.toMatchObject({
      code: 'missing_timestamp',
    });
  });

  it('explains that a parsed body cannot be verified', async () => {
    const d = delivery();
    await expect(
      verifySignature({ rawBody: JSON.parse(d.body) as never, headers: d.headers, secret: SECRET, now: NOW }),
    ).rejects.toMatchObject({ code: 'body_already_parsed', message: expect.stringMatching(/before express.json\(\)/) });
  });

  it('never echoes the secret in an error message', async () => {
    const d = delivery({ secret: 'whsec_other' });
    const error = await verifySignature({ rawBody: d.body, headers: d.headers, secret: SECRET, now: NOW }).catch(
      (e: Error) => e,
    );
    expect(String((error as Error).message)).not.toContain(SECRET);
  });
});

describe('readDeliveryHeaders', () => {
  const d = delivery();
  const upper = Object.fromEntries(Object.entries(d.headers).map(([k, v]) => [k.toUpperCase(), v]));
  it.each([
    ['a Fetch Headers', new Headers(d.headers)],
    ['a record in upper case', upper],
    ['an iterable of pairs', Object.entries(d.headers)],
    ['a Map', new Map(Object.entries(d.headers))],
    ['Node IncomingHttpHeaders with arrays', { ...d.headers, 'set-cookie': ['a', 'b'] }],
  ])('reads %s case-insensitively', async (_name, headers) => {
    const read = readDeliveryHeaders(headers as never);
    expect(read).toMatchObject({
      prefix: 'phaseo',
      eventId: d.headers['x-phaseo-event-id'],
      attempt: '1',
      contentType: 'application/json',
      signature: d.headers['x-phaseo-signature'],
    });
    await expect(
      verifySignature({ rawBody: d.body, headers: headers as never, secret: SECRET, now: NOW }),
    ).resolves.toBeDefined();
  });

  it('reads a Node record by direct lookups and by a scan alike', () => {
    expect(readDeliveryHeaders(d.headers)).toEqual(readDeliveryHeaders(Object.entries(d.headers)));
    expect(readDeliveryHeaders(d.headers)).toEqual(readDeliveryHeaders(upper));
  });

  it('joins a repeated header in every shape, so two signatures fail the format check', () => {
    const signature = d.headers['x-phaseo-signature']!;
    const pairs: [string, string][] = [...Object.entries(d.headers), ['X-Phaseo-Signature', signature]];
    const record = { ...d.headers, 'x-phaseo-signature': [signature, signature] };
    for (const headers of [pairs, new Headers(pairs), record]) {
      expect(readDeliveryHeaders(headers).signature).toBe(`${signature}, ${signature}`);
    }
  });
});
