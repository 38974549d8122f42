import { createHmac, timingSafeEqual } from 'node:crypto';
import type { CryptoProvider } from './crypto-provider';

/**
 * `node:crypto` provider: `createHmac` fed the raw bytes (no string concatenation of the body)
 * and `crypto.timingSafeEqual`. The default on Node.
 *
 * @example
 * ```ts
 * const receiver = createReceiver({ secret, crypto: nodeCryptoProvider });
 * ```
 */
export const nodeCryptoProvider: CryptoProvider = Object.freeze({
  name: 'node',
  hmacSha256(secret: string, timestamp: string, body: Uint8Array): Uint8Array {
    return createHmac('sha256', secret).update(timestamp).update('.').update(body).digest();
  },
  timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
    return a.length === b.length && timingSafeEqual(a, b);
  },
});
