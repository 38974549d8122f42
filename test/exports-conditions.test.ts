import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './helpers/example-app';

// Resolves the built core package the way each runtime would, through its `exports` conditions,
// from a package that depends on it.
const cwd = join(ROOT, 'packages', 'fetch');
const providerUnder = (conditions: string[], mode: 'import' | 'require'): string => {
  const code =
    mode === 'import'
      ? "import('@ai-stats-webhooks/core').then((m) => process.stdout.write(m.defaultCryptoProvider.name))"
      : "process.stdout.write(require('@ai-stats-webhooks/core').defaultCryptoProvider.name)";
  return execFileSync(process.execPath, [...conditions.map((c) => `--conditions=${c}`), '-e', code], {
    cwd,
    encoding: 'utf8',
  });
};

describe('@ai-stats-webhooks/core exports conditions', () => {
  it.each(['import', 'require'] as const)('gives Node the node:crypto provider (%s)', (mode) => {
    expect(providerUnder([], mode)).toBe('node');
  });

  it.each(['worker', 'workerd', 'edge-light', 'browser', 'deno'])(
    'gives the "%s" condition the WebCrypto provider',
    (condition) => {
      expect(providerUnder([condition], 'import')).toBe('webcrypto');
      expect(providerUnder([condition], 'require')).toBe('webcrypto');
    },
  );

  it('verifies a vector with the edge build, which never imports node:crypto', () => {
    const code = `
      const core = require('@ai-stats-webhooks/core');
      const v = ${JSON.stringify({ secret: 'whsec_test_123', timestamp: '1781166600', body: '{"id":"evt_123","type":"batch.completed","data":{"id":"batch_123","status":"completed"}}', signature: 'bc1c64b881737db0ddc76196f3633752666322fad1f394126029119d6e19ea39' })};
      core.verifySignature({ rawBody: v.body, headers: { 'x-phaseo-timestamp': v.timestamp, 'x-phaseo-signature': v.signature }, secret: v.secret, now: 1781166600000 })
        .then((r) => process.stdout.write(String(r.secretIndex)), (e) => process.stdout.write(e.code));
    `;
    expect(execFileSync(process.execPath, ['--conditions=worker', '-e', code], { cwd, encoding: 'utf8' })).toBe('0');
    const source = require('node:fs').readFileSync(join(ROOT, 'packages/core/dist/index.web.js'), 'utf8') as string;
    expect(source).not.toMatch(/from ['"](node:)?crypto['"]/);
  });
});
