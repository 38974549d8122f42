import { redactCredentials } from '../errors/redact-credentials';
import { invalidOption } from '../errors/invalid-option';

/** The public Video API, including `/v1`. */
export const DEFAULT_BASE_URL = 'https://api.phaseo.app/v1';

/**
 * One bearer key: visible ASCII only, as an HTTP header value carries it (a line break, a space or a
 * second key pasted after the first would fail every call, and undici would quote it in the error).
 */
export function apiKeyOption(value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw invalidOption('apiKey', 'the Video API bearer key (set AI_STATS_API_KEY)', 'none');
  }
  const key = value.trim();
  const bad = /[^\x21-\x7e]/.exec(key);
  if (bad !== null) {
    const what = /\s/.test(bad[0]) ? 'white space or a line break' : 'a character outside visible ASCII';
    throw invalidOption('apiKey', 'one bearer key of visible ASCII characters', `${what} at position ${bad.index + 1}`);
  }
  return key;
}

/**
 * An absolute http(s) URL without user:password (the bearer key authenticates; fetch refuses a URL
 * with credentials, so every call would fail).
 */
export function baseUrlOption(value: string): string {
  const base = value.replace(/\/+$/, '');
  const url = URL.canParse(base) ? new URL(base) : undefined;
  const found = JSON.stringify(redactCredentials(base));
  if (url === undefined || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    throw invalidOption('baseUrl', `an absolute http(s) URL such as ${DEFAULT_BASE_URL}`, found);
  }
  if (url.username !== '' || url.password !== '') {
    throw invalidOption('baseUrl', 'a URL without user:password (the API key authenticates)', found);
  }
  return base;
}
