import { readFileSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { EVENT_PHASES, type WebhookEventType } from '@ai-stats-webhooks/core';
import { createDelivery } from './create-delivery';
import { createMockGateway } from './mock-gateway';
import { signDelivery } from './sign-delivery';

const HELP: Record<string, string> = {
  main: `ai-stats-webhooks <command> [options]

Commands:
  sign   Print the signature headers for a body
  send   POST a signed delivery of an event type to a URL
  mock   Start the mock AI Stats gateway on 127.0.0.1

Run "ai-stats-webhooks <command> --help" for a command's options.`,
  sign: `ai-stats-webhooks sign --secret <whsec_…> [--body <json> | --file <path>] [options]

Prints the headers the sender would send with this exact body (read from stdin when neither
--body nor --file is given).

  --secret <s>       signing secret (required)
  --body <json>      the body, byte for byte
  --file <path>      read the body from a file
  --timestamp <sec>  Unix seconds (default: now)
  --prefix <p>       phaseo (default) or ai-stats
  --json             print {headers, body} as JSON`,
  send: `ai-stats-webhooks send --url <url> --secret <whsec_…> [options]

Builds a delivery the way the sender does, signs it and POSTs it. Exits 0 on a 2xx answer.

  --url <url>        receiver URL (required)
  --secret <s>       signing secret (required)
  --type <type>      event type, e.g. video.completed (default), video.progress, batch.failed
  --job <id>         job id (default: G-01KA7Q3M9V2X5C8B4N6D1F0H7J)
  --progress <n>     reading for progress events (default 50)
  --attempt <n>      attempt number 1–4 (default 1)
  --prefix <p>       phaseo (default) or ai-stats
  --timestamp <sec>  Unix seconds (default: now)`,
  mock: `ai-stats-webhooks mock [options]

Starts the mock gateway (Video API + signed webhook sender) and prints its URL, API key and secret.

  --port <n>            port (default: a free one)
  --webhook-url <url>   where deliveries go for jobs created without webhook.url
  --secret <s>          signing secret (default: a fresh whsec_…)
  --api-key <k>         bearer key (default sk_mock_local)
  --time-scale <n>      gateway time runs n times faster (default 1)
  --fail-keyword <w>    prompts containing it fail (default "fail")
  --duplicate <p>       probability of duplicate deliveries (0–1)
  --reorder <p>         probability of held-back deliveries
  --drop <p>            probability of dropped deliveries
  --clock-skew <sec>    seconds added to signed timestamps
  --legacy-headers      send x-ai-stats- headers
  --seed <n>            seed of the fault dice`,
};

class UsageError extends Error {}

function parse<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T) {
  try {
    return parseArgs({
      args,
      options: { ...options, help: { type: 'boolean' } },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function need(value: string | undefined, flag: string): string {
  if (!value) throw new UsageError(`${flag} is required.`);
  return value;
}

function number(value: string | undefined, flag: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max)
    throw new UsageError(`${flag} must be a number from ${min} to ${max}, found "${value}".`);
  return n;
}

function prefixOf(value: string | undefined): 'phaseo' | 'ai-stats' {
  if (value === undefined || value === 'phaseo' || value === 'ai-stats') return value ?? 'phaseo';
  throw new UsageError(`--prefix must be phaseo or ai-stats, found "${value}".`);
}

export async function main(argv: string[], out: (line: string) => void = console.log): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    out(HELP.main!);
    return command ? 0 : 2;
  }
  if (!(command in HELP) || command === 'main')
    throw new UsageError(`Unknown command "${command}". Expected sign, send or mock.`);
  if (rest.includes('--help') || rest.includes('-h')) {
    out(HELP[command]!);
    return 0;
  }
  if (command === 'sign') {
    const v = parse(rest, {
      secret: { type: 'string' },
      body: { type: 'string' },
      file: { type: 'string' },
      timestamp: { type: 'string' },
      prefix: { type: 'string' },
      json: { type: 'boolean' },
    });
    const body = v.body ?? (v.file ? readFileSync(v.file, 'utf8') : readFileSync(0, 'utf8'));
    const timestamp = number(v.timestamp, '--timestamp', 0, 99_999_999_999);
    const signed = await signDelivery({
      secret: need(v.secret, '--secret'),
      body,
      prefix: prefixOf(v.prefix),
      ...(timestamp === undefined ? {} : { timestamp }),
    });
    if (v.json) out(JSON.stringify(signed, null, 2));
    else for (const [name, value] of Object.entries(signed.headers)) out(`${name}: ${value}`);
    return 0;
  }
  if (command === 'send') {
    const v = parse(rest, {
      url: { type: 'string' },
      secret: { type: 'string' },
      type: { type: 'string' },
      job: { type: 'string' },
      progress: { type: 'string' },
      attempt: { type: 'string' },
      prefix: { type: 'string' },
      timestamp: { type: 'string' },
    });
    const type = (v.type ?? 'video.completed') as WebhookEventType;
    const [kind, phase] = type.split('.');
    if ((kind !== 'video' && kind !== 'batch') || !EVENT_PHASES.includes(phase as never)) {
      throw new UsageError(`--type must be <video|batch>.<${EVENT_PHASES.join('|')}>, found "${type}".`);
    }
    const url = need(v.url, '--url');
    if (!/^https?:\/\//.test(url)) throw new UsageError(`--url must be an http(s) URL, found "${url}".`);
    const timestamp = number(v.timestamp, '--timestamp', 0, 99_999_999_999);
    const body = createDelivery({
      type,
      job: {
        id: v.job ?? (kind === 'batch' ? 'batch_01KA7ZC3D5E7F9G1H3J5K7M9N1' : 'G-01KA7Q3M9V2X5C8B4N6D1F0H7J'),
        ...(phase === 'progress' ? { progress: number(v.progress, '--progress', 1, 99) ?? 50 } : {}),
      },
      attempt: number(v.attempt, '--attempt', 1, 4) ?? 1,
      ...(timestamp === undefined ? {} : { createdAt: timestamp }),
    });
    const signed = await signDelivery({
      secret: need(v.secret, '--secret'),
      body,
      prefix: prefixOf(v.prefix),
      ...(timestamp === undefined ? {} : { timestamp }),
    });
    const response = await fetch(url, {
      method: 'POST',
      headers: signed.headers,
      body: signed.body,
      redirect: 'manual',
    });
    out(`${response.status} ${(await response.text()).slice(0, 500)}`);
    return response.ok ? 0 : 1;
  }
  const v = parse(rest, {
    port: { type: 'string' },
    'webhook-url': { type: 'string' },
    secret: { type: 'string' },
    'api-key': { type: 'string' },
    'time-scale': { type: 'string' },
    'fail-keyword': { type: 'string' },
    duplicate: { type: 'string' },
    reorder: { type: 'string' },
    drop: { type: 'string' },
    'clock-skew': { type: 'string' },
    'legacy-headers': { type: 'boolean' },
    seed: { type: 'string' },
  });
  const port = number(v.port, '--port', 0, 65535);
  const timeScale = number(v['time-scale'], '--time-scale', 0.001, 1_000_000);
  const seed = number(v.seed, '--seed', 0, 2 ** 32);
  const faults = {
    ...(v.duplicate ? { duplicate: number(v.duplicate, '--duplicate', 0, 1)! } : {}),
    ...(v.reorder ? { reorder: number(v.reorder, '--reorder', 0, 1)! } : {}),
    ...(v.drop ? { drop: number(v.drop, '--drop', 0, 1)! } : {}),
    ...(v['clock-skew'] ? { clockSkewSeconds: number(v['clock-skew'], '--clock-skew', -86_400, 86_400)! } : {}),
    ...(v['legacy-headers'] ? { legacyHeaders: true } : {}),
  };
  const gateway = await createMockGateway({
    ...(port === undefined ? {} : { port }),
    ...(v['webhook-url'] ? { webhookUrl: v['webhook-url'] } : {}),
    ...(v.secret ? { secret: v.secret } : {}),
    ...(v['api-key'] ? { apiKey: v['api-key'] } : {}),
    ...(timeScale === undefined ? {} : { timeScale }),
    ...(v['fail-keyword'] ? { failKeyword: v['fail-keyword'] } : {}),
    ...(seed === undefined ? {} : { seed }),
    faults,
  });
  out(`mock gateway listening on ${gateway.url}`);
  out(`AI_STATS_BASE_URL=${gateway.baseUrl}`);
  out(`AI_STATS_API_KEY=${gateway.apiKey}`);
  out(`AI_STATS_WEBHOOK_SECRET=${gateway.secret}`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await gateway.close();
  return 0;
}

/**
 * Runs the CLI as a process: the exit code is the command's, 2 for a usage error (with a hint).
 * The package's `bin` calls it.
 *
 * @example
 * ```ts
 * runCli(process.argv.slice(2));
 * ```
 */
export function runCli(argv: readonly string[]): void {
  main([...argv]).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof UsageError ? `Error: ${error.message}\nRun "ai-stats-webhooks --help".` : error);
      process.exit(error instanceof UsageError ? 2 : 1);
    },
  );
}
