import { join } from 'node:path';
import { fixture } from './helpers/deliveries';
import { fetchOnceOn } from './helpers/run-on-runtime';
import type { VectorReport } from './runtimes/signature-vectors.worker';

// The crypto provider contract (packages/core/test/crypto-providers.test.ts) inside the runtimes
// themselves: every vector of the spec verified by the build of @ai-stats-webhooks/core that
// each runtime resolves (WebCrypto on workerd and Deno; Bun takes the `node` condition, so
// node:crypto as Bun implements it), and by a WebCrypto provider created explicitly.

interface Vector {
  secret: string;
  timestamp: string;
  signature: string;
  valid: boolean;
  note: string;
}

const vectors = fixture<Vector[]>('signature-vectors.json');
const ENTRY = join(__dirname, 'runtimes', 'signature-vectors.worker.ts');

describe.each([
  ['workerd', 'webcrypto'],
  ['deno', 'webcrypto'],
  ['bun', 'node'],
] as const)('signature vectors inside %s', (runtime, defaultProvider) => {
  let report: VectorReport;
  beforeAll(async () => {
    report = JSON.parse(await fetchOnceOn(runtime, ENTRY)) as VectorReport;
  }, 90_000);

  it(`signs with the ${defaultProvider} provider by default`, () => {
    expect(report.defaultProvider).toBe(defaultProvider);
  });

  it.each(['default', 'createWebCryptoProvider()'])('%s: every vector, as the spec says', (label) => {
    const outcomes = report.outcomes.filter((o) => o.provider.startsWith(`${label} (`));
    expect(outcomes.map((o) => o.note)).toEqual(vectors.map((v) => v.note));
    vectors.forEach((v, i) => {
      const { hmac, verified } = outcomes[i]!;
      const expected = !/^\d+$/.test(v.timestamp)
        ? { code: 'invalid_timestamp' } // signed correctly, but the sender only sends Unix seconds
        : v.valid
          ? { secretIndex: 0 }
          : { code: 'signature_mismatch' };
      expect([v.note, verified]).toEqual([v.note, expected]);
      expect([v.note, hmac === v.signature.toLowerCase()]).toEqual([v.note, v.valid]);
    });
  });
});
