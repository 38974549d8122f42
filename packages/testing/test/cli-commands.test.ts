import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../src/cli/cli-options';
import { CLI_HELP, helpCommand } from '../src/cli/help-command';
import { mockCommand } from '../src/cli/mock-command';
import { SEND_DEFAULT_JOB_IDS, sendCommand } from '../src/cli/send-command';
import { signCommand } from '../src/cli/sign-command';

const collect = () => {
  const lines: string[] = [];
  return { lines, out: (line: string) => void lines.push(line) };
};

// A receiver that records each body and answers 200.
async function recorder(): Promise<{ url: string; bodies: Record<string, any>[]; close: () => Promise<void> }> {
  const bodies: Record<string, any>[] = [];
  const server: Server = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString()));
    req.on('end', () => {
      bodies.push(JSON.parse(text));
      res.end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return { url, bodies, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('help command', () => {
  it('prints the tool help, or one command help, and refuses an unknown topic', async () => {
    const { lines, out } = collect();
    expect(await helpCommand([], out)).toBe(0);
    expect(await helpCommand(['send'], out)).toBe(0);
    expect(lines).toEqual([CLI_HELP.main, CLI_HELP.send]);
    await expect(helpCommand(['frobnicate'], out)).rejects.toThrow(UsageError);
  });
});

describe('sign command', () => {
  it('signs a body read from a file, as JSON', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'sign-')), 'body.json');
    writeFileSync(file, '{"id":"evt_123","type":"batch.completed","data":{"id":"batch_123","status":"completed"}}');
    const { lines, out } = collect();
    const code = await signCommand(
      ['--secret', 'whsec_test_123', '--timestamp', '1781166600', '--file', file, '--json'],
      out,
    );
    expect(code).toBe(0);
    expect(JSON.parse(lines[0]!).headers['x-phaseo-signature']).toBe(
      'bc1c64b881737db0ddc76196f3633752666322fad1f394126029119d6e19ea39',
    );
  });

  it('asks for the secret before reading a body', async () => {
    await expect(signCommand(['--body', '{}'], () => undefined)).rejects.toThrow(/--secret is required/);
  });
});

describe('send command', () => {
  it('sends the default job id of the kind, and a failure with its upstream error', async () => {
    const receiver = await recorder();
    try {
      const { lines, out } = collect();
      expect(await sendCommand(['--url', receiver.url, '--secret', 's', '--type', 'batch.failed'], out)).toBe(0);
      expect(await sendCommand(['--url', receiver.url, '--secret', 's', '--attempt', '3'], out)).toBe(0);
      expect(lines).toEqual(['200 {"ok":true}', '200 {"ok":true}']);
      expect(receiver.bodies[0]).toMatchObject({
        type: 'batch.failed',
        data: { id: SEND_DEFAULT_JOB_IDS.batch, upstream_error: { message: 'Every request in the batch failed.' } },
      });
      expect(receiver.bodies[1]).toMatchObject({
        type: 'video.completed',
        delivery: { attempt: 3 },
        data: { id: SEND_DEFAULT_JOB_IDS.video },
      });
    } finally {
      await receiver.close();
    }
  });

  it('turns a bad delivery option into a usage error', async () => {
    const send = (...args: string[]) =>
      sendCommand(['--url', 'http://127.0.0.1:1/', '--secret', 's', ...args], () => 0);
    await expect(send('--attempt', '2.5')).rejects.toThrow(UsageError);
    await expect(send('--job', '')).rejects.toThrow(/--job must be a plain job id .*found ""/);
    await expect(send('--type', 'video.progress', '--progress', '100')).rejects.toThrow(/--progress must be/);
  });
});

describe('mock command', () => {
  it('starts the gateway, prints what an app needs, and closes it when stopped', async () => {
    const { lines, out } = collect();
    let healthz = 0;
    const stop = async () => {
      const url = lines[0]!.replace('mock gateway listening on ', '');
      healthz = (await fetch(`${url}/healthz`)).status;
    };
    expect(await mockCommand(['--secret', 'whsec_cli', '--api-key', 'sk_cli', '--drop', '0.5'], out, stop)).toBe(0);
    expect(healthz).toBe(200);
    expect(lines.slice(1)).toEqual([
      expect.stringMatching(/^AI_STATS_BASE_URL=http:\/\/127\.0\.0\.1:\d+\/v1$/),
      'AI_STATS_API_KEY=sk_cli',
      'AI_STATS_WEBHOOK_SECRET=whsec_cli',
    ]);
    await expect(fetch(lines[0]!.replace('mock gateway listening on ', ''))).rejects.toThrow();
  });

  it('checks its numbers before starting', async () => {
    await expect(
      mockCommand(
        ['--time-scale', '0'],
        () => 0,
        async () => {},
      ),
    ).rejects.toThrow(/--time-scale must be/);
  });
});
