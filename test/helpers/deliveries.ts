import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const FIXTURES = join(__dirname, '..', 'fixtures');
export const SECRET = 'whsec_test_123';

export interface WebhookFixture {
  headers: Record<string, string>;
  body: Record<string, any>;
}

/** A fixture from test/fixtures, as a fresh object each call. */
export function fixture<T = WebhookFixture>(name: string): T {
  return JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as T;
}

export interface SignedDelivery {
  headers: Record<string, string>;
  body: string;
}

/**
 * Signs a body the way the sender does: compact JSON, HMAC-SHA256 hex of `${timestamp}.${body}`,
 * every header under one prefix. Independent of the library so tests cannot agree with a bug.
 */
export function sign(
  input: WebhookFixture | { headers?: Record<string, string>; body: unknown },
  options: { secret?: string; timestamp?: number | string; prefix?: 'phaseo' | 'ai-stats'; rawBody?: string } = {},
): SignedDelivery {
  const prefix = options.prefix ?? 'phaseo';
  const body = options.rawBody ?? JSON.stringify(input.body);
  const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(input.headers ?? { 'content-type': 'application/json' })) {
    headers[name.replace(/^x-(phaseo|ai-stats)-/, `x-${prefix}-`)] = value;
  }
  headers[`x-${prefix}-timestamp`] = timestamp;
  headers[`x-${prefix}-signature`] = createHmac('sha256', options.secret ?? SECRET)
    .update(`${timestamp}.${body}`)
    .digest('hex');
  return { headers, body };
}

/** A fixture event re-targeted at another job id / type / attempt, with consistent headers. */
export function event(
  name: string,
  changes: { jobId?: string; attempt?: number; status?: string; progress?: number; type?: string; key?: string } = {},
): WebhookFixture {
  const f = fixture(name);
  const body = f.body;
  if (changes.type) body.type = changes.type;
  if (changes.key) body.delivery.key = changes.key;
  if (changes.jobId) {
    body.data.id = changes.jobId;
    body.data.request_id = changes.jobId;
  }
  if (changes.status) body.data.status = changes.status;
  if (changes.progress !== undefined) body.data.progress = changes.progress;
  if (changes.attempt) body.delivery.attempt = changes.attempt;
  const kind = body.type.split('.')[0];
  body.id = ['evt', kind, body.data.id, body.delivery.key]
    .join('_')
    .replace(/[^A-Za-z0-9_-]+/g, '_')
    .slice(0, 160);
  const headers = { ...f.headers };
  for (const key of Object.keys(headers)) {
    if (key.endsWith('-event-id')) headers[key] = body.id;
    if (key.endsWith('-event-type')) headers[key] = body.type;
    if (key.endsWith('-delivery-key')) headers[key] = body.delivery.key;
    if (key.endsWith('-attempt')) headers[key] = String(body.delivery.attempt);
  }
  return { headers, body };
}
