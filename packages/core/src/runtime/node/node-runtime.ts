import type { Runtime } from '../runtime';
import { nodeCryptoProvider } from './node-crypto-provider';

/**
 * Node.js: HMAC on `node:crypto` (about 20× faster per 1 KB call than WebCrypto on Node).
 *
 * @example
 * ```ts
 * const receiver = createReceiverWith(nodeRuntime, { secret });
 * ```
 */
export const nodeRuntime: Runtime = Object.freeze({ name: 'node', crypto: nodeCryptoProvider });
