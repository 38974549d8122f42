import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const SECRET = 'whsec_bench_secret_0123456789';
const FIXTURES = fileURLToPath(new URL('../../test/fixtures/', import.meta.url));

interface ProgressBody {
  id: string;
  data: { id: string; request_id: string; [field: string]: unknown };
  [field: string]: unknown;
}

/** The video.progress fixture body (about 4.4 KB), as the sender serialises it. */
export const progressBody = (
  JSON.parse(readFileSync(`${FIXTURES}video.progress.50.json`, 'utf8')) as { body: ProgressBody }
).body;

/** A realistic event body of about `size` bytes (the fixture, padded or trimmed in `data`). */
export function bodyOfSize(size: number, id = 'evt_bench'): string {
  const base = {
    id,
    type: 'video.progress',
    created_at: 1786528872,
    delivery: { key: 'video.progress:50', attempt: 1, max_attempts: 4 },
    data: {
      id: 'G-01KA7QA2B4C6D8E0F2G4H6J8KM',
      object: 'video',
      kind: 'video',
      status: 'processing',
      progress: 50,
      note: '',
    },
  };
  const overhead = JSON.stringify(base).length;
  base.data.note = 'x'.repeat(Math.max(0, size - overhead));
  return JSON.stringify(base);
}

export const sign = (timestamp: string, body: string | Buffer, secret = SECRET) =>
  createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');

/** Node-style headers of a signed delivery. */
export function signedHeaders(
  timestamp: string,
  body: string | Buffer,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    host: '127.0.0.1:3000',
    'user-agent': 'Phaseo-Async-Webhook/1.0',
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(body)),
    'x-phaseo-timestamp': timestamp,
    'x-phaseo-signature': sign(timestamp, body),
    ...extra,
  };
}

/** `count` distinct signed deliveries of the progress fixture: fresh event ids and job ids. */
export function freshProgressDeliveries(count: number, timestamp: string) {
  return Array.from({ length: count }, (_, i) => {
    const body = structuredClone(progressBody);
    const jobId = `G-BENCH${String(i).padStart(20, '0')}`;
    body.data.id = jobId;
    body.data.request_id = jobId;
    body.id = `evt_video_${jobId}_video_progress_50`;
    const raw = Buffer.from(JSON.stringify(body));
    return {
      raw,
      headers: signedHeaders(timestamp, raw, {
        'x-phaseo-event-id': body.id,
        'x-phaseo-event-type': 'video.progress',
        'x-phaseo-delivery-key': 'video.progress:50',
        'x-phaseo-attempt': '1',
        'x-phaseo-max-attempts': '4',
      }),
    };
  });
}
