import type { CryptoProvider } from './crypto-provider';

const unavailable = (): never => {
  throw new Error(
    'nodeCryptoProvider: expected node:crypto, found an edge runtime build. Use webCryptoProvider (the default here).',
  );
};

// Edge builds must not import node:crypto; this stand-in keeps the export without the import.
export const nodeCryptoProvider: CryptoProvider = Object.freeze({
  name: 'node',
  hmacSha256Hex: unavailable,
});
