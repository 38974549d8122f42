import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createNodeHandler } from '@ai-stats-webhooks/express';
import { main } from '../src/cli';

const run = async (args: string[]) => {
  const lines: string[] = [];
  const code = await main(args, (line) => void lines.push(line));
  return { code, output: lines.join('\n') };
};

describe('ai-stats-webhooks CLI', () => {
  it('prints help for the tool and every command', async () => {
    expect((await run(['--help'])).output).toMatch(/sign\s+Print the signature headers/);
    for (const command of ['sign', 'send', 'mock']) {
      const { code, output } = await run([command, '--help']);
      expect(code).toBe(0);
      expect(output).toContain(`ai-stats-webhooks ${command}`);
    }
  });

  it('signs a body: the first signature vector', async () => {
    const body = '{"id":"evt_123","type":"batch.completed","data":{"id":"batch_123","status":"completed"}}';
    const { output } = await run(['sign', '--secret', 'whsec_test_123', '--timestamp', '1781166600', '--body', body]);
    expect(output).toContain('x-phaseo-signature: bc1c64b881737db0ddc76196f3633752666322fad1f394126029119d6e19ea39');
    expect(output).toContain('x-phaseo-timestamp: 1781166600');
    const legacy = await run(['sign', '--secret', 'whsec_test_123', '--body', body, '--prefix', 'ai-stats', '--json']);
    expect(JSON.parse(legacy.output).headers).toHaveProperty('x-ai-stats-signature');
  });

  it('sends a signed delivery that a real receiver accepts, and exits 1 on a refusal', async () => {
    const handler = createNodeHandler({ secret: 'whsec_cli', logger: {} });
    const server: Server = createServer((req, res) => void handler(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    try {
      const ok = await run([
        'send',
        '--url',
        url,
        '--secret',
        'whsec_cli',
        '--type',
        'video.progress',
        '--progress',
        '52',
      ]);
      expect(ok.code).toBe(0);
      expect(ok.output).toMatch(/^200 .*"ok":true/);
      const refused = await run(['send', '--url', url, '--secret', 'whsec_other']);
      expect(refused.code).toBe(1);
      expect(refused.output).toMatch(/^401 /);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it.each([
    [['frobnicate'], /Unknown command "frobnicate"/],
    [['sign', '--body', '{}'], /--secret is required/],
    [['sign', '--secret', 's', '--body', '{}', '--colour'], /Unknown option '--colour'/],
    [['send', '--url', 'http://127.0.0.1:1', '--secret', 's', '--type', 'video.complete'], /--type must be/],
    [['send', '--url', 'ftp://x', '--secret', 's'], /--url must be an http/],
    [['send', '--url', 'http://x', '--secret', 's', '--attempt', '9'], /--attempt must be a number from 1 to 4/],
    [['mock', '--duplicate', '2'], /--duplicate must be a number from 0 to 1/],
  ])('rejects %j with a clear error', async (args, message) => {
    await expect(run(args)).rejects.toThrow(message);
  });
});
