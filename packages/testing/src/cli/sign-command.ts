import { readFileSync } from 'node:fs';
import { signDelivery } from '../sign-delivery';
import { numberOption, parseOptions, prefixOption, requireOption } from './cli-options';

/**
 * `ai-stats-webhooks sign`: prints the headers the sender would send with a body, given with
 * `--body`, `--file` or on stdin, one `name: value` a line (or `{headers, body}` with `--json`).
 *
 * @example
 * ```ts
 * await signCommand(['--secret', 'whsec_test_123', '--body', '{"a":1}'], console.log); // 0
 * ```
 */
export async function signCommand(args: string[], out: (line: string) => void): Promise<number> {
  const v = parseOptions(args, {
    secret: { type: 'string' },
    body: { type: 'string' },
    file: { type: 'string' },
    timestamp: { type: 'string' },
    prefix: { type: 'string' },
    json: { type: 'boolean' },
  });
  const secret = requireOption(v.secret, '--secret');
  const body = v.body ?? (v.file ? readFileSync(v.file, 'utf8') : readFileSync(0, 'utf8'));
  const timestamp = numberOption(v.timestamp, '--timestamp', 0, 99_999_999_999);
  const signed = await signDelivery({
    secret,
    body,
    prefix: prefixOption(v.prefix),
    ...(timestamp === undefined ? {} : { timestamp }),
  });
  if (v.json) out(JSON.stringify(signed, null, 2));
  else for (const [name, value] of Object.entries(signed.headers)) out(`${name}: ${value}`);
  return 0;
}
