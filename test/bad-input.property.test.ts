import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { createReceiver, WEBHOOK_ERROR_STATUS } from '@ai-stats-webhooks/core';
import { fixture } from './helpers/deliveries';

// Property-based bad deliveries straight into the receiver: never a 2xx, never a handler call,
// never a crash or a hang, always a 4xx with a clear code (5xx only for the codes whose meaning
// is "retry"), and the secret in no response and no log line.

const SECRET = 'whsec_property_secret_DO_NOT_LEAK';
const NOW_S = 1786528925;
const logLines: string[] = [];
const log = (level: string) => (message: string, fields?: Record<string, unknown>) =>
  void logLines.push(`${level} ${message} ${JSON.stringify(fields ?? {})}`);
let handlerCalls = 0;
const receiver = createReceiver({
  secret: [SECRET, 'whsec_second_secret'],
  now: () => NOW_S * 1000,
  maxBodyBytes: 64 * 1024,
  logger: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') },
});
receiver.onAny(() => void handlerCalls++);

const completed = fixture('video.completed.json');
const validBody = JSON.stringify(completed.body);
const hmac = (timestamp: string, body: string | Uint8Array) =>
  createHmac('sha256', SECRET).update(`${timestamp}.`).update(body).digest('hex');
const baseHeaders = (timestamp: string, body: string | Uint8Array): Record<string, string> => ({
  'content-type': 'application/json',
  'x-phaseo-timestamp': timestamp,
  'x-phaseo-signature': hmac(timestamp, body),
});

// Each arbitrary yields one bad delivery.
const headerName = fc.constantFrom(
  'content-type',
  'x-phaseo-timestamp',
  'x-phaseo-signature',
  'x-phaseo-event-id',
  'x-phaseo-event-type',
  'x-phaseo-attempt',
  'x-phaseo-delivery-key',
);
const junk = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ minLength: 5000, maxLength: 9000 }),
  fc.constantFrom('', ' ', '\t', 'null', '0'),
);

const badHeaders = fc.oneof(
  // missing a required header (the unsigned event headers are optional: G0–G1 send none)
  fc.constantFrom('content-type', 'x-phaseo-timestamp', 'x-phaseo-signature').map((name) => {
    const h = baseHeaders(String(NOW_S), validBody);
    delete h[name];
    return { headers: h, body: validBody, label: `missing ${name}` };
  }),
  // malformed, oversized or contradicting value
  fc
    .tuple(headerName, junk)
    // A value that happens to be the right one is not a bad delivery.
    .filter(
      ([name, value]) => value.trim() !== (completed.headers[name] ?? baseHeaders(String(NOW_S), validBody)[name]),
    )
    .map(([name, value]) => ({
      headers: { ...baseHeaders(String(NOW_S), validBody), [name]: value },
      body: validBody,
      label: `bad ${name}`,
    })),
  // duplicated header (pairs), as a proxy might send it
  fc.tuple(fc.constantFrom('x-phaseo-signature', 'x-phaseo-timestamp'), junk).map(([name, value]) => ({
    headers: [...Object.entries(baseHeaders(String(NOW_S), validBody)), [name, value]] as [string, string][],
    body: validBody,
    label: `duplicated ${name}`,
  })),
);

const badSignatures = fc
  .oneof(
    fc.stringMatching(/^[0-9a-f]{0,63}$/),
    fc.stringMatching(/^[0-9a-f]{65,130}$/),
    fc.stringMatching(/^[0-9a-zA-Z+/=_-]{64}$/),
    fc.stringMatching(/^[0-9A-F]{64}$/),
    fc.constantFrom(
      `sha256=${hmac(String(NOW_S), validBody)}`,
      `v1=${hmac(String(NOW_S), validBody)}`,
      hmac(String(NOW_S), validBody).replace(/^./, 'g'),
    ),
  )
  .filter((sig) => sig.toLowerCase() !== hmac(String(NOW_S), validBody))
  .map((sig) => ({
    headers: { ...baseHeaders(String(NOW_S), validBody), 'x-phaseo-signature': sig },
    body: validBody,
    label: 'bad signature',
  }));

const badTimestamps = fc
  .oneof(
    fc.constant(String(NOW_S * 1000)),
    fc.integer({ min: -2e9, max: -1 }).map(String),
    fc.bigInt({ min: 10n ** 12n, max: 10n ** 30n }).map(String),
    fc.integer({ min: 301, max: 1e6 }).map((d) => String(NOW_S - d)),
    fc.integer({ min: 301, max: 1e6 }).map((d) => String(NOW_S + d)),
    fc.date({ min: new Date(0), max: new Date(4e12), noInvalidDate: true }).map((d) => d.toISOString()),
    fc.string({ maxLength: 20 }).filter((s) => !/^\s*\d{1,11}\s*$/.test(s)),
  )
  // Signed correctly over the bad timestamp: only the timestamp is wrong.
  .map((ts) => ({ headers: baseHeaders(ts, validBody), body: validBody, label: `timestamp ${ts.slice(0, 20)}` }));

const schemaBreaks = fc
  .oneof(
    fc.jsonValue().map((v) => JSON.stringify(v)),
    fc
      .record(
        {
          id: fc.oneof(fc.string(), fc.integer()),
          type: fc.string(),
          created_at: fc.anything(),
          delivery: fc.anything(),
          data: fc.anything(),
        },
        { requiredKeys: [] },
      )
      .map((v) => JSON.stringify(v)),
    fc.constantFrom(
      '{"id":"evt_1","__proto__":{"polluted":true}}',
      '{"type":"video.completed","data":{"id":"G-1","__proto__":{"x":1}}}',
    ),
    fc.integer({ min: 100, max: 50_000 }).map((depth) => '['.repeat(depth) + ']'.repeat(depth)),
    fc.integer({ min: 100, max: 20_000 }).map((depth) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth)),
    fc.string().map((s) => `{"id":${s}`),
  )
  // Valid signatures over bodies that break the schema.
  .map((body) => ({ headers: baseHeaders(String(NOW_S), body), body, label: 'schema break' }));

const badBytes = fc
  .oneof(
    fc.uint8Array({ minLength: 1, maxLength: 200 }).map((bytes) => Uint8Array.from([0xff, ...bytes])),
    fc.constant(Uint8Array.from([0x7b, 0xc3, 0x28, 0x7d])),
    fc.integer({ min: 64 * 1024 + 1, max: 200 * 1024 }).map((size) => new Uint8Array(size).fill(0x20)),
  )
  .map((body) => ({
    headers: baseHeaders(String(NOW_S), body),
    body: body as string | Uint8Array,
    label: 'bad bytes',
  }));

const badDelivery = fc.oneof(badHeaders, badSignatures, badTimestamps, schemaBreaks, badBytes);
const RETRY_CODES = new Set(
  Object.entries(WEBHOOK_ERROR_STATUS)
    .filter(([, s]) => s >= 500)
    .map(([c]) => c),
);

it('answers 10,000 bad deliveries with a clear 4xx and never runs a handler', async () => {
  const seen = new Map<string, number>();
  await fc.assert(
    fc.asyncProperty(badDelivery, async ({ headers, body, label }) => {
      const response = await receiver.handle({ method: 'POST', headers, rawBody: body });
      const parsed = JSON.parse(response.body) as { error?: string; message?: string };
      seen.set(String(parsed.error), (seen.get(String(parsed.error)) ?? 0) + 1);
      const clear =
        typeof parsed.error === 'string' && typeof parsed.message === 'string' && parsed.message.length > 10;
      const allowed =
        response.status >= 400 && response.status < 500
          ? clear
          : clear && RETRY_CODES.has(parsed.error!) && parsed.error !== 'handler_failed';
      if (!allowed || response.body.includes(SECRET) || handlerCalls !== 0) {
        throw new Error(`${label}: ${response.status} ${response.body.slice(0, 300)}`);
      }
    }),
    { numRuns: 10_000, seed: 20261122 },
  );
  expect(handlerCalls).toBe(0);
  expect(logLines.some((line) => line.includes(SECRET))).toBe(false);
  // Every family of mistakes was exercised and named.
  for (const code of [
    'missing_timestamp',
    'missing_signature',
    'invalid_signature_format',
    'signature_mismatch',
    'invalid_timestamp',
    'timestamp_too_old',
    'timestamp_in_future',
    'invalid_json',
    'invalid_payload',
    'unsupported_media_type',
    'payload_too_large',
  ]) {
    expect([code, seen.get(code) ?? 0]).toEqual([code, expect.any(Number)]);
    expect(seen.get(code)).toBeGreaterThan(0);
  }
  console.log(`bad deliveries by code: ${JSON.stringify(Object.fromEntries([...seen].sort((a, b) => b[1] - a[1])))}`);
}, 120_000);
