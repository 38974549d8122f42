import { createHmac } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { main, runCli } from '../src/cli';
import { CliFailure, UsageError } from '../src/cli/cli-options';
import { CLI_HELP } from '../src/cli/help-command';
import { INBOX_HELP } from '../src/cli/inbox-command';
import { mockCommand } from '../src/cli/mock-command';
import { SEND_DEFAULT_TIMEOUT_SECONDS, sendCommand } from '../src/cli/send-command';

const run = async (args: string[]) => {
  const lines: string[] = [];
  const code = await main(args, (line) => void lines.push(line));
  return { code, output: lines.join('\n') };
};

async function listen(handler: Parameters<typeof createServer>[1]): Promise<{ server: Server; url: string }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/x` };
}
const close = (server: Server) =>
  new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

// A URL whose port nothing listens on any more.
async function closedUrl(): Promise<string> {
  const { server, url } = await listen(() => undefined);
  await close(server);
  return url;
}

describe('send failures', () => {
  it('gives up on a receiver that never answers, after --timeout (default 30 s, as the sender)', async () => {
    expect(SEND_DEFAULT_TIMEOUT_SECONDS).toBe(30);
    expect(CLI_HELP.send).toMatch(/--timeout <sec> .*default 30/);
    const { server, url } = await listen(() => undefined); // never answers
    try {
      const started = Date.now();
      const send = sendCommand(['--url', url, '--secret', 's', '--timeout', '0.3'], () => undefined);
      await expect(send).rejects.toThrow(CliFailure);
      await expect(send).rejects.toThrow(/expected an answer from .* within 0\.3 s, found none \(timed out.*Fix: /);
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      await close(server);
    }
  });

  it('says no receiver is there for a closed port, with no stack', async () => {
    const url = await closedUrl();
    const send = sendCommand(['--url', url, '--secret', 's'], () => undefined);
    await expect(send).rejects.toThrow(CliFailure);
    await expect(send).rejects.toThrow(
      /expected a receiver at .*found none \(ECONNREFUSED\)\. Fix: start the receiver/,
    );
  });

  it.each([
    [['--url', 'http://'], /--url must be an http\(s\) URL with a host, found "http:\/\/"\. Fix: /],
    [['--url', 'https://:80/x'], /--url must be an http\(s\) URL/],
    [['--url', 'http://x', '--timestamp', '1.5'], /--timestamp must be whole Unix seconds .*found "1\.5"\. Fix: /],
    [['--url', 'http://x', '--timestamp', '1786528925000'], /found "1786528925000"\. That looks like milliseconds/],
    [['--url', 'http://x', '--timeout', '0'], /--timeout must be a number from 0\.1 to 120, found "0"/],
    [
      ['--url', 'http://x', '--type', 'batch.expired'],
      /found "batch\.expired": .*batch\.failed.*Fix: pass --type batch\.failed/,
    ],
    [['--url', 'http://x', '--type', 'batch.status_changed'], /found "batch\.status_changed": there is no batch/],
    [
      ['--url', 'http://x', '--job', 'G-01…'],
      /--job must be a plain job id \(letters, digits, "_", "-", "\.", ":", 1–200 characters, not dots only\), found "G-01…"\. Fix: .*G-01KA7Q3M9V2X5C8B4N6D1F0H7J/,
    ],
    [['--url', 'http://x', '--job', '../admin'], /--job must be a plain job id .*found "\.\.\/admin"/],
    [
      ['--url', 'http://x', '--type', 'video.progress', '--progress', '0'],
      /--progress must be a reading with 0 < p < 100/,
    ],
  ])('refuses %j as a usage mistake that names the flag', async (args, message) => {
    const send = sendCommand([...args, '--secret', 's'], () => undefined);
    await expect(send).rejects.toThrow(UsageError);
    await expect(send).rejects.toThrow(message);
    await expect(sendCommand([...args, '--secret', 's'], () => undefined)).rejects.not.toThrow(/createDelivery/);
  });

  it('sends a 0.5 reading as bucket 5 (spec §4)', async () => {
    const bodies: string[] = [];
    const { server, url } = await listen((req, res) => {
      let text = '';
      req.on('data', (chunk: Buffer) => (text += chunk.toString()));
      req.on('end', () => void (bodies.push(text), res.end('ok')));
    });
    try {
      const args = ['--url', url, '--secret', 's', '--type', 'video.progress', '--progress', '0.5'];
      expect(await sendCommand(args, () => undefined)).toBe(0);
      expect(JSON.parse(bodies[0]!)).toMatchObject({ delivery: { key: 'video.progress:5' }, data: { progress: 5 } });
    } finally {
      await close(server);
    }
  });
});

describe('sign, mock and help failures', () => {
  it('sign --file on a missing file: a usage error naming the file, no ENOENT stack', async () => {
    await expect(run(['sign', '--secret', 's', '--file', '/nonexistent/body.json'])).rejects.toThrow(
      /--file must name a readable file, found "\/nonexistent\/body\.json" \(ENOENT\)\. Fix: /,
    );
  });

  it('sign --timestamp 1.5 names the flag', async () => {
    await expect(run(['sign', '--secret', 's', '--body', '{}', '--timestamp', '1.5'])).rejects.toThrow(
      /--timestamp must be whole Unix seconds/,
    );
  });

  it('mock --port 45.5: a whole number is expected, before anything starts', async () => {
    const start = mockCommand(
      ['--port', '45.5'],
      () => undefined,
      async () => undefined,
    );
    await expect(start).rejects.toThrow(UsageError);
    await expect(start).rejects.toThrow(/--port must be a number from 0 to 65535 \(a whole number\), found "45\.5"/);
  });

  it('mock on a port in use: one line saying so', async () => {
    const { server, url } = await listen(() => undefined);
    const port = new URL(url).port;
    try {
      const start = mockCommand(
        ['--port', port],
        () => undefined,
        async () => undefined,
      );
      await expect(start).rejects.toThrow(CliFailure);
      await expect(start).rejects.toThrow(
        new RegExp(`127\\.0\\.0\\.1:${port}, found it in use \\(EADDRINUSE\\)\\. Fix: `),
      );
    } finally {
      await close(server);
    }
  });

  it('help knows inbox, and names it among the topics', async () => {
    expect((await run(['help', 'inbox'])).output).toBe(INBOX_HELP);
    await expect(run(['help', 'foo'])).rejects.toThrow(/expected sign, send, mock or inbox\. Fix: /);
  });
});

describe('runCli', () => {
  let exit: jest.SpyInstance;
  let error: jest.SpyInstance;
  beforeEach(() => {
    exit = jest.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
    error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  it.each([
    ['a refused connection', async () => ['send', '--url', await closedUrl(), '--secret', 's'], 1, /ECONNREFUSED/],
    ['a bad URL', async () => ['send', '--url', 'http://', '--secret', 's'], 2, /--url must be/],
    ['a missing file', async () => ['sign', '--secret', 's', '--file', '/nonexistent'], 2, /ENOENT/],
    ['a fractional port', async () => ['mock', '--port', '45.5'], 2, /--port must be/],
    ['an unknown help topic', async () => ['help', 'foo'], 2, /inbox/],
  ])('prints %s as one line with no stack, and exits %s', async (_name, argv, code, message) => {
    await runCli(await argv());
    expect(exit).toHaveBeenCalledWith(code);
    expect(error).toHaveBeenCalledTimes(1);
    const line = String(error.mock.calls[0]![0]);
    expect(line).toMatch(message);
    expect(line).toMatch(/^Error: .*Fix: /);
    expect(line).not.toMatch(/\n|\bat .*:\d+:\d+/);
  });
});

describe('sign and send input', () => {
  it('refuses a --file that is not UTF-8 (exit 2) instead of signing other bytes than the file holds', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aisw-sign-'));
    const bad = join(dir, 'latin1.json');
    writeFileSync(bad, Buffer.from('{"a":"\xff"}', 'latin1'));
    const refused = run(['sign', '--secret', 'whsec_test_123', '--file', bad]);
    await expect(refused).rejects.toThrow(UsageError); // exit 2
    await expect(refused).rejects.toThrow(/--file must hold UTF-8 text .* found bytes that are not UTF-8\. Fix: /);
    const bom = join(dir, 'bom.json');
    writeFileSync(bom, Buffer.from('\uFEFF{"a":1}', 'utf8'));
    const signed = await run([
      'sign',
      '--secret',
      'whsec_test_123',
      '--file',
      bom,
      '--timestamp',
      '1786528925',
      '--json',
    ]);
    expect(signed.code).toBe(0);
    const expected = createHmac('sha256', 'whsec_test_123')
      .update(Buffer.concat([Buffer.from('1786528925.'), Buffer.from('\uFEFF{"a":1}', 'utf8')]))
      .digest('hex');
    expect(JSON.parse(signed.output).headers['x-phaseo-signature']).toContain(expected);
  });

  it.each([
    ['sign', ['--body', '{}']],
    ['send', ['--url', 'http://127.0.0.1:9/x']],
  ])('%s: a blank --secret is a usage mistake (exit 2) naming the flag', async (command, rest: string[]) => {
    const refused = run([command, '--secret', '   ', ...rest]);
    await expect(refused).rejects.toThrow(UsageError); // exit 2
    await expect(refused).rejects.toThrow(/--secret is required: expected --secret <value>, found only whitespace\./);
  });
});
