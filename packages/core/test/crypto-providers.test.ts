import {
  computeSignature,
  createWebCryptoProvider,
  nodeCryptoProvider,
  verifySignature,
  WebhookError,
  type CryptoProvider,
} from '@ai-stats-webhooks/core';
import { fixture } from '../../../test/helpers/deliveries';
import { isHex64, timingSafeEqualHex } from '../src/runtime/crypto-provider';

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
      const hmac = await crypto.hmacSha256Hex(v.secret.trim(), v.timestamp, new TextEncoder().encode(v.body));
      expect(hmac).toBe(v.signature.toLowerCase());
    } else if (v.valid) {
      await expect(attempt).resolves.toMatchObject({ timestamp: Number(v.timestamp), secretIndex: 0 });
    } else {
      await expect(attempt).rejects.toMatchObject({ code: 'signature_mismatch', status: 401 });
    }
  });

  it('tries the secrets in order (rotation), on the synchronous and the asynchronous path', async () => {
    const v = vectors.find((x) => x.valid && /^\d+$/.test(x.timestamp))!;
    const headers = { 'x-phaseo-timestamp': v.timestamp, 'x-phaseo-signature': v.signature };
    const base = { rawBody: Buffer.from(v.body, 'utf8'), headers, now: Number(v.timestamp) * 1000, crypto };
    await expect(verifySignature({ ...base, secret: ['whsec_old', v.secret, 'whsec_next'] })).resolves.toMatchObject({
      secretIndex: 1,
    });
    await expect(verifySignature({ ...base, secret: ['whsec_old', 'whsec_next'] })).rejects.toMatchObject({
      code: 'signature_mismatch',
    });
  });

  it('computes the lowercase hex signature of the first vector, from bytes or a string', async () => {
    const v = vectors[0]!;
    expect(await computeSignature(v.secret, v.timestamp, v.body, crypto)).toBe(v.signature);
    expect(await computeSignature(v.secret, Number(v.timestamp), Buffer.from(v.body), crypto)).toBe(v.signature);
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

describe('hex helpers', () => {
  it('accepts exactly 64 hex characters of either case', () => {
    expect(isHex64('a'.repeat(64))).toBe(true);
    expect(isHex64('AbCdEf0123456789'.repeat(4))).toBe(true);
    expect(isHex64('a'.repeat(63))).toBe(false);
    expect(isHex64(`${'a'.repeat(63)}g`)).toBe(false);
    expect(isHex64(`${'a'.repeat(63)}:`)).toBe(false);
    expect(isHex64(`${'a'.repeat(63)}@`)).toBe(false);
  });

  it('compares case-insensitively, and only equal lengths', () => {
    const digest = 'bc1c64b881737db0ddc76196f3633752666322fad1f394126029119d6e19ea39';
    expect(timingSafeEqualHex(digest, digest.toUpperCase())).toBe(true);
    expect(timingSafeEqualHex(digest, `${digest.slice(0, 63)}8`)).toBe(false);
    expect(timingSafeEqualHex(digest, digest.slice(2))).toBe(false);
  });
});
