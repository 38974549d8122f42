import {
  computeSignature,
  createWebCryptoProvider,
  nodeCryptoProvider,
  verifySignature,
  WebhookError,
  type CryptoProvider,
} from '@ai-stats-webhooks/core';
import { fixture } from '../../../test/helpers/deliveries';

interface Vector {
  secret: string;
  timestamp: string;
  body: string;
  signature: string;
  valid: boolean;
  note: string;
}

const vectors = fixture<Vector[]>('signature-vectors.json');
const providers: [string, CryptoProvider][] = [
  ['node', nodeCryptoProvider],
  ['webcrypto', createWebCryptoProvider()],
];

// One contract for every provider: each vector of the spec, verified at its own timestamp.
describe.each(providers)('%s crypto provider contract', (_name, crypto) => {
  it.each(vectors.map((v) => [v.note.slice(0, 70), v] as const))('%s', async (_note, v) => {
    const isoTimestamp = !/^\d+$/.test(v.timestamp);
    const now = isoTimestamp ? Date.parse(v.timestamp) : Number(v.timestamp) * 1000;
    const headers = { 'x-phaseo-timestamp': v.timestamp, 'x-phaseo-signature': v.signature };
    const attempt = verifySignature({ rawBody: Buffer.from(v.body, 'utf8'), headers, secret: v.secret, now, crypto });
    if (isoTimestamp) {
      // Cryptographically valid, but the sender only sends Unix seconds.
      await expect(attempt).rejects.toMatchObject({ code: 'invalid_timestamp' });
      const hmac = await crypto.hmacSha256(v.secret.trim(), v.timestamp, new TextEncoder().encode(v.body));
      expect(Buffer.from(hmac).toString('hex')).toBe(v.signature.toLowerCase());
    } else if (v.valid) {
      await expect(attempt).resolves.toMatchObject({ timestamp: Number(v.timestamp), secretIndex: 0 });
    } else {
      await expect(attempt).rejects.toMatchObject({ code: 'signature_mismatch', status: 401 });
    }
  });

  it('computes the lowercase hex signature of the first vector, from bytes or a string', async () => {
    const v = vectors[0]!;
    expect(await computeSignature(v.secret, v.timestamp, v.body, crypto)).toBe(v.signature);
    expect(await computeSignature(v.secret, Number(v.timestamp), Buffer.from(v.body), crypto)).toBe(v.signature);
  });

  it('compares only equal lengths, in constant time', () => {
    expect(crypto.timingSafeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2]))).toBe(true);
    expect(crypto.timingSafeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 3]))).toBe(false);
    expect(crypto.timingSafeEqual(new Uint8Array([1, 2]), new Uint8Array([1]))).toBe(false);
  });
});

it('rejects a vector signed with the trimmed-away space even when the secret is configured with it', async () => {
  const v = vectors.find((x) => x.secret.endsWith(' '))!;
  const trimmedTwin = vectors[0]!.signature;
  const now = Number(v.timestamp) * 1000;
  await expect(
    verifySignature({
      rawBody: v.body,
      headers: { 'x-phaseo-timestamp': v.timestamp, 'x-phaseo-signature': trimmedTwin },
      secret: v.secret,
      now,
    }),
  ).resolves.toBeDefined();
  await expect(
    verifySignature({
      rawBody: v.body,
      headers: { 'x-phaseo-timestamp': v.timestamp, 'x-phaseo-signature': v.signature },
      secret: v.secret,
      now,
    }),
  ).rejects.toBeInstanceOf(WebhookError);
});
