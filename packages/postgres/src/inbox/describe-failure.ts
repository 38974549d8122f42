import { redactCredentials } from '@ai-stats-webhooks/core';

const MAX_LENGTH = 2_000;
const MAX_CAUSES = 4;

/**
 * A failure as the inbox keeps it in `last_error`: the error and its causes (`←`), each as
 * `Name[code]: message`, every URL's credentials removed, at most 2,000 characters. The kit's
 * `WebhookError` says what failed; its cause is what a handler or the Video API said.
 *
 * @example
 * ```ts
 * describeFailure(new WebhookError('handler_failed', 'Expected …', { cause: new Error('disk full') }));
 * // 'WebhookError[handler_failed]: Expected … ← Error: disk full'
 * ```
 */
export function describeFailure(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < MAX_CAUSES && current !== undefined && current !== null; depth++) {
    parts.push(describeOne(current));
    current = current instanceof Error ? current.cause : undefined;
  }
  return redactCredentials(parts.join(' ← ')).slice(0, MAX_LENGTH);
}

function describeOne(value: unknown): string {
  try {
    if (!(value instanceof Error)) return String(value);
    const code = (value as { code?: unknown }).code;
    return `${value.name}${typeof code === 'string' ? `[${code}]` : ''}: ${value.message}`;
  } catch {
    return '(an error that cannot be printed)'; // a throwing toString() or message getter
  }
}
