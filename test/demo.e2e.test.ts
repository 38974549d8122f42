import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './helpers/example-app';

// The README's first command in headless mode: the whole recipe against the mock gateway.
it('runs the demo headless: every job terminal, the dashboard answers, exit 0', () => {
  const result = spawnSync(process.execPath, [join(ROOT, 'examples/express/dist/demo.js'), '--once'], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 90_000,
    env: { PATH: process.env.PATH ?? '', CI: 'true' },
  });
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  expect(result.stdout).toMatch(/created G-\w{26} \(queued\)/);
  expect(result.stdout).toMatch(/video\.completed +attempt 1 +→ 200/);
  expect(result.stdout.match(/\] 100% {2}completed/g)).toHaveLength(2);
  expect(result.stdout).toMatch(/failed {2}The prompt was rejected/);
  expect(result.stdout).toMatch(/Dashboard: http:\/\/127\.0\.0\.1:\d+\/ {2}\(answers 200\)/);
}, 120_000);
