import { toHex, type CryptoProvider } from '../crypto-provider';

const encoder = new TextEncoder();
const DOT = 0x2e;

/**
 * Creates a WebCrypto (`crypto.subtle`) provider: Workers, Deno, Bun, Vercel Edge and browsers.
 * Imported keys are cached per secret. The edge entries of the package use it by default.
 *
 * @example
 * ```ts
 * const provider = createWebCryptoProvider({ subtle: globalThis.crypto.subtle });
 * ```
 */
export function createWebCryptoProvider(
  options: { subtle?: SubtleCrypto; maxCachedKeys?: number } = {},
): CryptoProvider {
  const subtle = options.subtle ?? globalThis.crypto?.subtle;
  if (!subtle) {
    throw new Error(
      'createWebCryptoProvider: expected globalThis.crypto.subtle, found none. Pass { subtle } or use nodeCryptoProvider on Node.',
    );
  }
  const maxCachedKeys = options.maxCachedKeys ?? 16;
  const keys = new Map<string, Promise<CryptoKey>>();
  const keyFor = (secret: string): Promise<CryptoKey> => {
    let key = keys.get(secret);
    if (!key) {
      if (keys.size >= maxCachedKeys) keys.clear();
      key = subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
      keys.set(secret, key);
    }
    return key;
  };
  return Object.freeze({
    name: 'webcrypto',
    async hmacSha256Hex(secret: string, timestamp: string, body: Uint8Array): Promise<string> {
      // WebCrypto signs one buffer, so the prefix and body are joined once here.
      const prefix = encoder.encode(timestamp);
      const message = new Uint8Array(prefix.length + 1 + body.length);
      message.set(prefix, 0);
      message[prefix.length] = DOT;
      message.set(body, prefix.length + 1);
      return toHex(new Uint8Array(await subtle.sign('HMAC', await keyFor(secret), message)));
    },
  });
}

/**
 * The WebCrypto provider on `globalThis.crypto.subtle`, created on first use.
 *
 * @example
 * ```ts
 * await verifySignature({ rawBody, headers, secret, crypto: webCryptoProvider });
 * ```
 */
export const webCryptoProvider: CryptoProvider = (() => {
  let inner: CryptoProvider | undefined;
  const get = (): CryptoProvider => (inner ??= createWebCryptoProvider());
  return Object.freeze({
    name: 'webcrypto',
    hmacSha256Hex: (secret: string, timestamp: string, body: Uint8Array) =>
      get().hmacSha256Hex(secret, timestamp, body),
  });
})();
