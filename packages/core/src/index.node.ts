// The Node.js entry (`exports` conditions `node` and `default`): HMAC on node:crypto, Node request
// streams read with raw-body. Same exports, same types as index.web.ts.
import { bindRuntime } from './runtime/bind-runtime';
import { nodeRuntime } from './runtime/node/node-runtime';

export * from './exports';
export { nodeCryptoProvider, nodeCryptoProvider as defaultCryptoProvider } from './runtime/node/node-crypto-provider';
export { nodeBodyReader } from './runtime/node/node-body-reader';
export const { createReceiver, toReceiver, verifySignature, computeSignature } = bindRuntime(nodeRuntime);
