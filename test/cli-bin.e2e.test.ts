import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

// The command as installed: the workspace's node_modules/.bin link to the package's bin, which
// runs the built CLI (the suite runs after the build).
const BIN = join(__dirname, '..', 'node_modules', '.bin', 'ai-stats-webhooks');
const run = (args: string[]) =>
  promisify(execFile)(BIN, args, { timeout: 20_000 }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({
      code: error.code,
      stdout: error.stdout,
      stderr: error.stderr,
    }),
  );

describe('the installed ai-stats-webhooks command', () => {
  it('prints help and exits 0', async () => {
    const { code, stdout } = await run(['--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/sign\s+Print the signature headers/);
  });

  it('signs the first signature vector', async () => {
    const body = '{"id":"evt_123","type":"batch.completed","data":{"id":"batch_123","status":"completed"}}';
    const { code, stdout } = await run([
      'sign',
      '--secret',
      'whsec_test_123',
      '--timestamp',
      '1781166600',
      '--body',
      body,
    ]);
    expect(code).toBe(0);
    expect(stdout).toContain('x-phaseo-signature: bc1c64b881737db0ddc76196f3633752666322fad1f394126029119d6e19ea39');
  });

  it('exits 2 with a hint on a usage error', async () => {
    const { code, stderr } = await run(['sign', '--body', '{}']);
    expect(code).toBe(2);
    // One line: what was expected, what was found, where to look.
    expect(stderr).toMatch(
      /^Error: --secret is required: expected --secret <value>, found none\. \(see "ai-stats-webhooks --help"\)\n$/,
    );
  });
});
