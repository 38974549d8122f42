import { readFileSync } from 'node:fs';
import { signDelivery } from '../sign-delivery';
import { parseOptions, prefixOption, requireOption, timestampOption, UsageError } from './cli-options';

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
  const timestamp = timestampOption(v.timestamp);
  const body = v.body ?? utf8Text(v.file ? readFile(v.file) : readFileSync(0), v.file ? '--file' : 'stdin');
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

// Strictly, keeping a BOM: a lenient decode would put U+FFFD where the bytes were, and sign other
// bytes than those.
function utf8Text(bytes: Uint8Array, source: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new UsageError(
      `${source} must hold UTF-8 text (the sender signs JSON text), found bytes that are not UTF-8. Fix: save the body as UTF-8 (a receiver answers other bytes 400 invalid_payload whatever their signature).`,
    );
  }
}

function readFile(path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (error) {
    const code = (error as { code?: string }).code ?? (error as Error).message;
    throw new UsageError(
      `--file must name a readable file, found "${path}" (${code}). Fix: check the path, or pass the body with --body or on stdin.`,
    );
  }
}
