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
   * HMAC-SHA256 of `${timestamp}.${body}` keyed with the UTF-8 bytes of `secret`, as raw bytes.
   * Synchronous providers return the bytes directly, so the Node hot path allocates no promise.
   */
  hmacSha256(secret: string, timestamp: string, body: Uint8Array): Uint8Array | Promise<Uint8Array>;
  /** Constant-time equality of two byte arrays of the same length. */
  timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean;
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

/**
 * Decodes an even-length hex string (either case) to bytes, or returns undefined when any
 * character is not hex.
 */
export function fromHex(hex: string): Uint8Array | undefined {
  if (hex.length % 2 !== 0) return undefined;
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) {
    const hi = hexValue(hex.charCodeAt(2 * i));
    const lo = hexValue(hex.charCodeAt(2 * i + 1));
    if (hi < 0 || lo < 0) return undefined;
    out[i] = (hi << 4) | lo;
  }
  return out;
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48; // 0-9
  if (c >= 97 && c <= 102) return c - 87; // a-f
  if (c >= 65 && c <= 70) return c - 55; // A-F
  return -1;
}
