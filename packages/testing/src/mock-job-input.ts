import { EVENT_PHASES, type JobKind } from '@ai-stats-webhooks/core';
import { failInput, isRecord } from './fail-input';
import { validSubscriptions } from './valid-subscriptions';

/** A job's `webhook`, checked: where its deliveries go and what it subscribes to. */
export interface MockWebhookInput {
  readonly url?: string;
  readonly events?: string[];
}

/** The input of a mock video, checked: what `createVideo` and `POST /v1/videos` take. */
export interface MockVideoInput {
  readonly model: string;
  readonly prompt: string;
  readonly webhook: MockWebhookInput | undefined;
  readonly fail: boolean;
}

/** The options of a mock batch, checked, with the defaults filled in. */
export interface MockBatchInput {
  readonly model: string;
  readonly webhook: MockWebhookInput | undefined;
  readonly outcome: 'completed' | 'failed' | 'expired';
}

const OUTCOMES = ['completed', 'failed', 'expired'] as const;

/**
 * Checks the body of a mock video (`gateway.createVideo`, or `POST /v1/videos` with
 * `who` and `name` set for the route): non-empty `model` and `prompt`, an optional `webhook` with
 * an http(s) `url` and `events` of which at least one is valid for a video (spec §5), an optional
 * boolean `fail`. Bad input throws a `TypeError` or `RangeError` (expected / found / fix).
 *
 * @example
 * ```ts
 * readVideoInput({ model: 'mock/video', prompt: 'a paper boat' }).fail; // false
 * ```
 */
export function readVideoInput(body: unknown, who = 'createVideo', name = 'body'): MockVideoInput {
  if (!isRecord(body)) {
    const example = "{ model: 'mock/video', prompt: 'a paper boat' }";
    return failInput(TypeError, who, `${name} to be an object such as ${example}`, body, `pass ${example}.`);
  }
  const fail = body.fail;
  if (fail !== undefined && typeof fail !== 'boolean')
    failInput(TypeError, who, `${name}.fail to be true or false`, fail, `pass true to fail the job, or leave it out.`);
  return {
    model: readText(body.model, who, `${name}.model`, "pass a model id such as 'mock/video'."),
    prompt: readText(body.prompt, who, `${name}.prompt`, "pass a prompt such as 'a paper boat'."),
    webhook: readWebhook(body.webhook, 'video', who, `${name}.webhook`),
    fail: fail === true,
  };
}

/**
 * Checks the options of `gateway.createBatch` and fills in the defaults (model
 * `openai/gpt-5-mini`, outcome `completed`). Bad input throws a `TypeError` or `RangeError`.
 *
 * @example
 * ```ts
 * readBatchInput({ outcome: 'expired' }).model; // 'openai/gpt-5-mini'
 * ```
 */
export function readBatchInput(options: unknown, who = 'createBatch'): MockBatchInput {
  if (options === undefined) return { model: 'openai/gpt-5-mini', webhook: undefined, outcome: 'completed' };
  if (!isRecord(options))
    failInput(
      TypeError,
      who,
      "options to be an object such as { outcome: 'failed' }",
      options,
      'pass one, or leave it out.',
    );
  const { model, outcome } = options;
  if (outcome !== undefined && !OUTCOMES.includes(outcome as MockBatchInput['outcome'])) {
    const fix = 'pick one, or leave it out for completed (an expired batch is sent as batch.failed).';
    failInput(RangeError, who, `options.outcome to be one of ${OUTCOMES.join(', ')}`, outcome, fix);
  }
  return {
    model:
      model === undefined
        ? 'openai/gpt-5-mini'
        : readText(model, who, 'options.model', 'pass a model id, or leave it out.'),
    webhook: readWebhook(options.webhook, 'batch', who, 'options.webhook'),
    outcome: (outcome as MockBatchInput['outcome'] | undefined) ?? 'completed',
  };
}

/**
 * Checks a webhook URL: a string that parses as an `http:` or `https:` URL.
 *
 * @example
 * ```ts
 * readHttpUrl('http://127.0.0.1:3000/webhooks', 'createMockGateway', 'options.webhookUrl'); // the same string
 * ```
 */
export function readHttpUrl(value: unknown, who: string, name: string): string {
  const fix = "pass the receiver's URL, e.g. 'http://127.0.0.1:3000/webhooks/ai-stats'.";
  if (typeof value !== 'string') return failInput(TypeError, who, `${name} to be an http(s) URL string`, value, fix);
  let protocol: string | undefined;
  try {
    protocol = new URL(value).protocol;
  } catch {
    protocol = undefined;
  }
  if (protocol === 'http:' || protocol === 'https:') return value;
  return failInput(RangeError, who, `${name} to be an http:// or https:// URL`, value, fix);
}

function readText(value: unknown, who: string, name: string, fix: string): string {
  if (typeof value === 'string' && value.trim() !== '') return value;
  const kind = typeof value === 'string' ? RangeError : TypeError;
  return failInput(kind, who, `${name} to be a non-empty string`, value, fix);
}

function readWebhook(value: unknown, kind: JobKind, who: string, name: string): MockWebhookInput | undefined {
  if (value === undefined) return undefined;
  if (!isRecord(value)) {
    const fix = "pass { url: 'http://127.0.0.1:3000/webhooks', events: ['job.completed'] }, or leave it out.";
    return failInput(TypeError, who, `${name} to be an object { url?, events? }`, value, fix);
  }
  const url = value.url === undefined ? undefined : readHttpUrl(value.url, who, `${name}.url`);
  const events = value.events === undefined ? undefined : readEvents(value.events, kind, who, `${name}.events`);
  return { ...(url === undefined ? {} : { url }), ...(events === undefined ? {} : { events }) };
}

// Unknown names and the other kind's are dropped, as the sender does; a non-empty list with none
// valid for the kind is refused (spec §5). The list is kept as given (spec §6.5).
function readEvents(value: unknown, kind: JobKind, who: string, name: string): string[] {
  const example = `['job.completed', '${kind}.progress']`;
  if (!Array.isArray(value) || !value.every((e) => typeof e === 'string'))
    return failInput(
      TypeError,
      who,
      `${name} to be an array of subscription names such as ${example}`,
      value,
      `pass an array, or leave it out.`,
    );
  const events = value as string[];
  if (events.length > 0 && validSubscriptions(events, kind).length === 0) {
    const fix = `use job.<phase>, ${kind}.<phase> or a bare phase (${EVENT_PHASES.join(', ')}), or leave it out for the gateway's list.`;
    failInput(RangeError, who, `${name} to hold at least one subscription name valid for a ${kind}`, events, fix);
  }
  return [...events];
}
