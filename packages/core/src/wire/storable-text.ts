// U+0000, or half of a surrogate pair: text that a database stores differently or not at all
// (PostgreSQL refuses U+0000 in text and jsonb, and a lone surrogate in jsonb).
// eslint-disable-next-line no-control-regex -- U+0000 is exactly what this looks for
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const EVERY_UNSTORABLE = new RegExp(UNSTORABLE.source, 'g');

/**
 * Whether `text` holds U+0000 or an unpaired surrogate, which a database stores differently or not
 * at all.
 *
 * @example
 * ```ts
 * hasUnstorableText('evt_\u0000'); // true
 * ```
 */
export function hasUnstorableText(text: string): boolean {
  return UNSTORABLE.test(text);
}

/**
 * `text` with U+0000 and every unpaired surrogate replaced by U+FFFD, as a database can store it.
 *
 * @example
 * ```ts
 * toStorableText('bad\u0000byte'); // 'bad\ufffdbyte'
 * ```
 */
export function toStorableText(text: string): string {
  return text.replace(EVERY_UNSTORABLE, '\ufffd');
}
