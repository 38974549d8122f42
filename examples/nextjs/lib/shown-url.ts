import { redactCredentials } from '@ai-stats-webhooks/core';

/**
 * A URL for a message: its user and password replaced by `***`, quoted, at most 200 characters.
 *
 * @example
 * ```ts
 * shownUrl('postgres://app:hunter2@db:5432/app'); // '"postgres://***@db:5432/app"'
 * ```
 */
export function shownUrl(raw: string): string {
  let text = redactCredentials(raw);
  try {
    const url = new URL(raw);
    if (url.username || url.password) [url.username, url.password] = ['***', ''];
    text = url.href;
  } catch {
    // not a URL: the text redaction above applies
  }
  return JSON.stringify(text.slice(0, 200));
}
