import type { Runtime } from '../runtime';
import { webCryptoProvider } from './web-crypto-provider';

/**
 * Workers, Deno, Bun, edge and browsers: HMAC on WebCrypto (`crypto.subtle`).
 *
 * @example
 * ```ts
 * const receiver = createReceiverWith(webRuntime, { secret });
 * ```
 */
export const webRuntime: Runtime = Object.freeze({ name: 'web', crypto: webCryptoProvider });
