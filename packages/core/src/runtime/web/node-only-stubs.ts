import { WebhookError } from '../../errors/webhook-error';
import type { BodyReader } from '../../stages/accept';
import type { CryptoProvider } from '../crypto-provider';
import type { NodeIncomingRequest } from '../node/node-body-reader';

/**
 * The web entry's `nodeCryptoProvider`: the export exists in both entries (one set of types), but
 * edge runtimes have no `node:crypto`, so it explains itself instead.
 *
 * @example
 * ```ts
 * nodeCryptoProvider.hmacSha256Hex(secret, ts, body); // throws: use webCryptoProvider here
 * ```
 */
export const nodeCryptoProvider: CryptoProvider = Object.freeze({
  name: 'node',
  hmacSha256Hex: (): never => {
    throw new Error(
      'nodeCryptoProvider: expected node:crypto, found an edge runtime build. Use webCryptoProvider (the default here).',
    );
  },
});

/**
 * The web entry's `nodeBodyReader`: edge runtimes have no Node streams (and do not bundle
 * raw-body); hand the fetch adapter a Request instead.
 *
 * @example
 * ```ts
 * const handler = createFetchHandler({ secret }); // reads the Request body on edge runtimes
 * ```
 */
export function nodeBodyReader(_req: NodeIncomingRequest): BodyReader {
  return () =>
    Promise.reject(
      new WebhookError(
        'invalid_option',
        'Expected a Node.js request stream, but this is the edge build of @ai-stats-webhooks/core. Pass a Request (fetch adapter) instead.',
      ),
    );
}
