import { EVENT_PHASES, isPlainJobId, PLAIN_JOB_ID_RULE, type WebhookEventType } from '@ai-stats-webhooks/core';
import { createDelivery, type DeliveryBody } from '../create-delivery';
import { signDelivery, type SignedDelivery } from '../sign-delivery';
import {
  CliFailure,
  numberOption,
  parseOptions,
  prefixOption,
  requireOption,
  timestampOption,
  UsageError,
  type OptionValues,
} from './cli-options';

/** The job ids `send` uses without `--job`: the spec's example ids, so repeated sends dedupe. */
export const SEND_DEFAULT_JOB_IDS = Object.freeze({
  video: 'G-01KA7Q3M9V2X5C8B4N6D1F0H7J',
  batch: 'batch_01KA7ZC3D5E7F9G1H3J5K7M9N1',
});

const SEND_OPTIONS = {
  url: { type: 'string' },
  secret: { type: 'string' },
  type: { type: 'string' },
  job: { type: 'string' },
  progress: { type: 'string' },
  attempt: { type: 'string' },
  prefix: { type: 'string' },
  timestamp: { type: 'string' },
  timeout: { type: 'string' },
} as const;

/** Seconds `send` waits for an answer without `--timeout`: the real sender's default (spec §7). */
export const SEND_DEFAULT_TIMEOUT_SECONDS = 30;

type SendValues = OptionValues<typeof SEND_OPTIONS>;

/**
 * `ai-stats-webhooks send`: builds a delivery of an event type the way the sender does, signs it
 * and POSTs it (redirects not followed); prints the status and the first 500 bytes of the answer
 * and exits 0 on a 2xx, 1 otherwise.
 *
 * @example
 * ```ts
 * await sendCommand(['--url', 'http://127.0.0.1:3000/webhooks/ai-stats', '--secret', 's', '--type', 'video.failed'], console.log);
 * ```
 */
export async function sendCommand(args: string[], out: (line: string) => void): Promise<number> {
  const v = parseOptions(args, SEND_OPTIONS);
  const type = eventType(v.type);
  const url = urlOption(requireOption(v.url, '--url'));
  const secret = requireOption(v.secret, '--secret');
  const timestamp = timestampOption(v.timestamp);
  const timeout = numberOption(v.timeout, '--timeout', 0.1, 120) ?? SEND_DEFAULT_TIMEOUT_SECONDS;
  const signed = await signDelivery({
    secret,
    body: sendBody(type, v, timestamp),
    prefix: prefixOption(v.prefix),
    ...(timestamp === undefined ? {} : { timestamp }),
  });
  const { status, text } = await post(url, signed, timeout);
  out(`${status} ${text.slice(0, 500)}`);
  return status >= 200 && status < 300 ? 0 : 1;
}

// One POST as the sender makes it: redirects not followed, given up after the timeout.
async function post(url: string, signed: SignedDelivery, seconds: number): Promise<{ status: number; text: string }> {
  const signal = AbortSignal.timeout(seconds * 1000);
  try {
    const response = await fetch(url, { method: 'POST', ...signed, redirect: 'manual', signal });
    return { status: response.status, text: await response.text() };
  } catch (error) {
    throw sendFailure(url, seconds, error);
  }
}

function sendFailure(url: string, seconds: number, error: unknown): CliFailure {
  const name = (error as { name?: string }).name;
  if (name === 'TimeoutError' || name === 'AbortError')
    return new CliFailure(
      `send: expected an answer from ${url} within ${seconds} s, found none (timed out; the sender counts that as a failed attempt). Fix: answer within the time, or raise --timeout (the sender waits 30 s).`,
    );
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const why = cause?.code ?? cause?.message ?? (error as Error).message;
  return new CliFailure(
    `send: expected a receiver at ${url}, found none (${why}). Fix: start the receiver, or check the host and port of --url.`,
  );
}

function urlOption(value: string): string {
  const url = URL.canParse(value) ? new URL(value) : undefined;
  if (url && (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '') return value;
  throw new UsageError(
    `--url must be an http(s) URL with a host, found "${value}". Fix: pass e.g. --url http://127.0.0.1:3000/webhooks/ai-stats.`,
  );
}

function eventType(value: string | undefined): WebhookEventType {
  const type = value ?? 'video.completed';
  const [kind, phase, ...rest] = type.split('.');
  const known = (kind === 'video' || kind === 'batch') && EVENT_PHASES.includes(phase as never) && rest.length === 0;
  if (!known)
    throw new UsageError(
      `--type must be <video|batch>.<${EVENT_PHASES.join('|')}>, found "${type}". Fix: pass e.g. --type video.completed.`,
    );
  if (type === 'batch.expired')
    throw new UsageError(
      '--type must be a type the sender emits, found "batch.expired": an expired batch is sent as batch.failed with data.status "expired" (spec §5). Fix: pass --type batch.failed.',
    );
  if (type === 'batch.status_changed')
    throw new UsageError(
      '--type must be a type the sender emits, found "batch.status_changed": there is no batch status_changed (spec §5). Fix: pass --type batch.created, batch.completed, batch.failed or batch.cancelled, or video.status_changed.',
    );
  return type as WebhookEventType;
}

function sendBody(type: WebhookEventType, v: SendValues, timestamp: number | undefined): DeliveryBody {
  const kind = type.startsWith('batch.') ? 'batch' : 'video';
  const progress = type.endsWith('.progress') ? (readingOption(v.progress) ?? 50) : undefined;
  const attempt = numberOption(v.attempt, '--attempt', 1, 4, true) ?? 1;
  try {
    return createDelivery({
      type,
      job: { id: jobOption(v.job) ?? SEND_DEFAULT_JOB_IDS[kind], ...(progress === undefined ? {} : { progress }) },
      attempt,
      ...(timestamp === undefined ? {} : { createdAt: timestamp }),
    });
  } catch (error) {
    // createDelivery's TypeError / RangeError says expected / found / fix: a usage mistake here.
    if (error instanceof TypeError || error instanceof RangeError) throw new UsageError(error.message);
    throw error;
  }
}

// The receiver refuses a job id that is not a plain token (isPlainJobId of the core).
function jobOption(value: string | undefined): string | undefined {
  if (value === undefined || isPlainJobId(value)) return value;
  throw new UsageError(
    `--job must be a plain job id (${PLAIN_JOB_ID_RULE}), found ${JSON.stringify(String(value).slice(0, 80))}. Fix: pass e.g. --job ${SEND_DEFAULT_JOB_IDS.video}, or leave it out for the spec's example id.`,
  );
}

// A progress reading produces an event when 0 < p < 100 (spec §4): 0.5 is bucket 5.
function readingOption(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = value.trim() === '' ? NaN : Number(value);
  if (n > 0 && n < 100) return n;
  throw new UsageError(
    `--progress must be a reading with 0 < p < 100, found "${value}". Fix: pass e.g. --progress 52 (sent as bucket 50); a finished job is sent as --type video.completed.`,
  );
}
