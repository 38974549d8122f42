// scheme://user:password@ or scheme://token@ in any text: the userinfo part of a URL, up to the
// last "@" before the path (a password may hold a raw "@").
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#]*@/gi;

/**
 * Removes the credentials of every URL in a text (`https://user:password@host/…` →
 * `https://***@host/…`), for messages and log lines.
 *
 * @example
 * ```ts
 * redactCredentials('connect to redis://:hunter2@cache:6379 failed'); // 'connect to redis://***@cache:6379 failed'
 * ```
 */
export function redactCredentials(text: string): string {
  return text.replace(URL_USERINFO, '$1***@');
}

/**
 * An error (or any thrown value) as one short line for a log, credentials removed.
 *
 * @example
 * ```ts
 * logger.error?.('store failed', { cause: describeError(error) });
 * ```
 */
export function describeError(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  try {
    const text = value instanceof Error ? `${value.name}: ${value.message}` : String(value);
    return redactCredentials(text).slice(0, 500);
  } catch {
    return '(an error that cannot be printed)'; // a throwing toString() or message getter
  }
}
