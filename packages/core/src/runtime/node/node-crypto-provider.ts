import { createHmac } from 'node:crypto';
import type { CryptoProvider } from '../crypto-provider';

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
    return createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');
  },
});
