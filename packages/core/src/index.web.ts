// The edge entry (`exports` conditions `worker`, `workerd`, `edge-light`, `browser`, `deno`): HMAC
// on WebCrypto, no node:crypto and no raw-body in the bundle. Same exports, same types as
// index.node.ts (the Node-only ones explain themselves when called).
import { bindRuntime } from './runtime/bind-runtime';
import { webRuntime } from './runtime/web/web-runtime';

export * from './exports';
export { webCryptoProvider as defaultCryptoProvider } from './runtime/web/web-crypto-provider';
export { nodeBodyReader, nodeCryptoProvider } from './runtime/web/node-only-stubs';
export const { createReceiver, toReceiver, verifySignature, computeSignature } = bindRuntime(webRuntime);
