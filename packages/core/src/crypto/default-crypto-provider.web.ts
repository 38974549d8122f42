export { webCryptoProvider as defaultCryptoProvider } from './web-crypto-provider';
