// Replaced by default-crypto-provider.web.ts in the edge build (see tsup.config.ts).
export { nodeCryptoProvider as defaultCryptoProvider } from './node-crypto-provider';
