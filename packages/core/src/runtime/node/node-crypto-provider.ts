import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';
import type { CryptoProvider } from '../crypto-provider';

// Secrets become KeyObjects once (a little cheaper per HMAC than a string key); the map stays small.
const keys = new Map<string, KeyObject>();
const keyFor = (secret: string): KeyObject => {
  let key = keys.get(secret);
  if (key === undefined) {
    if (keys.size >= 64) keys.clear();
    key = createSecretKey(Buffer.from(secret, 'utf8'));
    keys.set(secret, key);
  }
  return key;
};

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
