/**
 * The HMAC-SHA256 primitive the kit needs, behind a small interface so that Node uses
 * `node:crypto` and edge runtimes use WebCrypto (the package `exports` conditions pick one).
 *
 * @example
 * ```ts
 * const receiver = createReceiver({ secret, crypto: webCryptoProvider });
 * ```
 */
export interface CryptoProvider {
  /** A short name, for logs and tests (`node`, `webcrypto`). */
  readonly name: string;
  /**
   * Lowercase hex HMAC-SHA256 of `${timestamp}.${body}` keyed with the UTF-8 bytes of `secret`.
   * Synchronous providers return the string directly, so the Node hot path allocates no promise.
   */
  hmacSha256Hex(secret: string, timestamp: string, body: Uint8Array): string | Promise<string>;
}

const HEX = '0123456789abcdef';

/** Lowercase hex of bytes. */
export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]!;
    out += HEX[byte >> 4]! + HEX[byte & 15]!;
  }
  return out;
}

/** True for exactly 64 hex characters, either case. */
export function isHex64(value: string): boolean {
  if (value.length !== 64) return false;
  for (let i = 0; i < 64; i++) {
    const c = value.charCodeAt(i) | 0x20; // folds A–F onto a–f; digits already have the bit
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) return false;
  }
  return true;
}

/**
 * Constant-time comparison of a lowercase hex digest with a received hex signature of the same
 * length (either case, validated by {@link isHex64}): every character is visited whatever differs.
 */
export function timingSafeEqualHex(expected: string, received: string): boolean {
  if (expected.length !== received.length) return false;
  let diff = 0;
  for (let i = 0; i < expected.length; i++) diff |= expected.charCodeAt(i) ^ (received.charCodeAt(i) | 0x20);
  return diff === 0;
}
