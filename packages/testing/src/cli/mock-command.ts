import { createServer } from 'node:net';
import { createMockGateway, type MockGatewayOptions } from '../mock-gateway';
import type { MockFaults } from '../webhook-sender';
import { CliFailure, numberOption, parseOptions, type OptionValues } from './cli-options';

const MOCK_OPTIONS = {
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
} as const;

type MockValues = OptionValues<typeof MOCK_OPTIONS>;

/**
 * `ai-stats-webhooks mock`: starts the mock gateway, prints its URL and the three environment
 * variables an app needs, and runs until `stop` resolves (by default SIGINT or SIGTERM).
 *
 * @example
 * ```ts
 * await mockCommand(['--time-scale', '10', '--webhook-url', 'http://127.0.0.1:3000/webhooks/ai-stats'], console.log);
 * ```
 */
export async function mockCommand(
  args: string[],
  out: (line: string) => void,
  stop: () => Promise<void> = untilSignal,
): Promise<number> {
  const options = mockOptions(parseOptions(args, MOCK_OPTIONS));
  if (options.port) await probePort(options.port);
  const gateway = await createMockGateway(options);
  out(`mock gateway listening on ${gateway.url}`);
  out(`AI_STATS_BASE_URL=${gateway.baseUrl}`);
  out(`AI_STATS_API_KEY=${gateway.apiKey}`);
  out(`AI_STATS_WEBHOOK_SECRET=${gateway.secret}`);
  try {
    await stop();
  } finally {
    await gateway.close();
  }
  return 0;
}

function mockOptions(v: MockValues): MockGatewayOptions {
  const port = numberOption(v.port, '--port', 0, 65535, true);
  const timeScale = numberOption(v['time-scale'], '--time-scale', 0.001, 1_000_000);
  const seed = numberOption(v.seed, '--seed', 0, 2 ** 32, true);
  return {
    ...(port === undefined ? {} : { port }),
    ...(v['webhook-url'] ? { webhookUrl: v['webhook-url'] } : {}),
    ...(v.secret ? { secret: v.secret } : {}),
    ...(v['api-key'] ? { apiKey: v['api-key'] } : {}),
    ...(timeScale === undefined ? {} : { timeScale }),
    ...(v['fail-keyword'] ? { failKeyword: v['fail-keyword'] } : {}),
    ...(seed === undefined ? {} : { seed }),
    faults: mockFaults(v),
  };
}

function mockFaults(v: MockValues): MockFaults {
  const probability = (value: string | undefined, flag: string) => numberOption(value, flag, 0, 1);
  const duplicate = probability(v.duplicate, '--duplicate');
  const reorder = probability(v.reorder, '--reorder');
  const drop = probability(v.drop, '--drop');
  const skew = numberOption(v['clock-skew'], '--clock-skew', -86_400, 86_400, true);
  return {
    ...(duplicate === undefined ? {} : { duplicate }),
    ...(reorder === undefined ? {} : { reorder }),
    ...(drop === undefined ? {} : { drop }),
    ...(skew === undefined ? {} : { clockSkewSeconds: skew }),
    ...(v['legacy-headers'] ? { legacyHeaders: true } : {}),
  };
}

// A port taken or not allowed: one line saying what to do, not a stack (or a gateway that never
// starts listening).
async function probePort(port: number): Promise<void> {
  const server = createServer();
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', resolve);
    });
  } catch (error) {
    const code = String((error as { code?: unknown }).code ?? (error as Error).message);
    const found = code === 'EADDRINUSE' ? 'in use' : 'not available';
    throw new CliFailure(
      `mock: expected to listen on 127.0.0.1:${port}, found it ${found} (${code}). Fix: pass another --port, or leave it out for a free one.`,
    );
  }
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

function untilSignal(): Promise<void> {
  return new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
}
