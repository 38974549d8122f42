import type { CryptoProvider } from './crypto-provider';

/**
 * What differs between the runtimes the kit runs on: the default crypto provider. The package
 * entries bind one (`index.node.ts`: `node:crypto`; `index.web.ts`: WebCrypto), and the `exports`
 * conditions pick the entry, so no build step swaps files.
 *
 * @example
 * ```ts
 * const nodeRuntime: Runtime = { name: 'node', crypto: nodeCryptoProvider };
 * ```
 */
export interface Runtime {
  readonly name: 'node' | 'web';
  readonly crypto: CryptoProvider;
}
