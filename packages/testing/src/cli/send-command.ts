import { EVENT_PHASES, type WebhookEventType } from '@ai-stats-webhooks/core';
import { createDelivery, type DeliveryBody } from '../create-delivery';
import { signDelivery } from '../sign-delivery';
import { numberOption, parseOptions, prefixOption, requireOption, UsageError, type OptionValues } from './cli-options';

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
} as const;

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
  const url = requireOption(v.url, '--url');
  if (!/^https?:\/\//.test(url)) throw new UsageError(`--url must be an http(s) URL, found "${url}".`);
  const secret = requireOption(v.secret, '--secret');
  const timestamp = numberOption(v.timestamp, '--timestamp', 0, 99_999_999_999);
  const signed = await signDelivery({
    secret,
    body: sendBody(type, v, timestamp),
    prefix: prefixOption(v.prefix),
    ...(timestamp === undefined ? {} : { timestamp }),
  });
  const response = await fetch(url, { method: 'POST', headers: signed.headers, body: signed.body, redirect: 'manual' });
  out(`${response.status} ${(await response.text()).slice(0, 500)}`);
  return response.ok ? 0 : 1;
}

function eventType(value: string | undefined): WebhookEventType {
  const type = value ?? 'video.completed';
  const [kind, phase] = type.split('.');
  if ((kind === 'video' || kind === 'batch') && EVENT_PHASES.includes(phase as never)) return type as WebhookEventType;
  throw new UsageError(`--type must be <video|batch>.<${EVENT_PHASES.join('|')}>, found "${type}".`);
}

function sendBody(type: WebhookEventType, v: SendValues, timestamp: number | undefined): DeliveryBody {
  const kind = type.startsWith('batch.') ? 'batch' : 'video';
  const progress = type.endsWith('.progress') ? (numberOption(v.progress, '--progress', 1, 99) ?? 50) : undefined;
  const attempt = numberOption(v.attempt, '--attempt', 1, 4) ?? 1;
  try {
    return createDelivery({
      type,
      job: { id: v.job ?? SEND_DEFAULT_JOB_IDS[kind], ...(progress === undefined ? {} : { progress }) },
      attempt,
      ...(timestamp === undefined ? {} : { createdAt: timestamp }),
    });
  } catch (error) {
    // createDelivery's TypeError / RangeError says expected / found / fix: a usage mistake here.
    if (error instanceof TypeError || error instanceof RangeError) throw new UsageError(error.message);
    throw error;
  }
}
