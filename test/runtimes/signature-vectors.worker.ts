// Runs inside workerd, Deno and Bun (bundled with each runtime's `exports` conditions by
// test/helpers/run-on-runtime.ts): a Worker-style module whose fetch verifies every signature
// vector of the spec with @ai-stats-webhooks/core, as that runtime resolves it, and answers what
// each provider found. The test (signature-vectors.runtimes.test.ts) decides what is right.
import {
  createWebCryptoProvider,
  defaultCryptoProvider,
  isWebhookError,
  verifySignature,
  type CryptoProvider,
} from '@ai-stats-webhooks/core';
import vectors from '../fixtures/signature-vectors.json';

/** What one provider found for one vector. */
export interface VectorOutcome {
  note: string;
  /** `default (<name>)` or `createWebCryptoProvider() (webcrypto)`. */
  provider: string;
  /** HMAC of the vector with the trimmed secret, lowercase hex. */
  hmac: string;
  /** The secret index when verifySignature accepted it, else the error code. */
  verified: { secretIndex: number } | { code: string };
}

/** The Worker's answer. */
export interface VectorReport {
  defaultProvider: string;
  outcomes: VectorOutcome[];
}

async function outcome(v: (typeof vectors)[number], label: string, crypto: CryptoProvider): Promise<VectorOutcome> {
  const now = /^\d+$/.test(v.timestamp) ? Number(v.timestamp) * 1000 : Date.parse(v.timestamp);
  const rawBody = new TextEncoder().encode(v.body);
  const headers = { 'x-phaseo-timestamp': v.timestamp, 'x-phaseo-signature': v.signature };
  const verified = await verifySignature({ rawBody, headers, secret: v.secret, now, crypto }).then(
    (delivery) => ({ secretIndex: delivery.secretIndex }),
    (error: unknown) => ({ code: isWebhookError(error) ? error.code : String(error) }),
  );
  const hmac = await crypto.hmacSha256Hex(v.secret.trim(), v.timestamp, rawBody);
  return { note: v.note, provider: `${label} (${crypto.name})`, hmac, verified };
}

export default {
  async fetch(): Promise<Response> {
    // The default provider of this build, and WebCrypto created explicitly (the same on edge builds).
    const providers = { default: defaultCryptoProvider, 'createWebCryptoProvider()': createWebCryptoProvider() };
    const outcomes: VectorOutcome[] = [];
    for (const [label, crypto] of Object.entries(providers))
      for (const v of vectors) outcomes.push(await outcome(v, label, crypto));
    const report: VectorReport = { defaultProvider: defaultCryptoProvider.name, outcomes };
    return Response.json(report);
  },
};
