import type { CryptoProvider } from '../runtime/crypto-provider';
import { DEFAULT_TOLERANCE_SECONDS, verifyDelivery, type Clock, type VerifiedDelivery } from '../stages/verify';
import { readDeliveryHeaders, type HeadersInput } from '../wire/delivery-headers';
import { toBytes, type RawBody } from '../wire/raw-body';
import { normalizeSecrets } from './normalize-secrets';

/** Options of {@link verifySignature}. */
export interface VerifySignatureOptions {
  /** The exact bytes received. A parsed object cannot be verified. */
  readonly rawBody: RawBody;
  readonly headers: HeadersInput;
  /** One secret, or several during rotation. Each is trimmed; `whsec_` is part of the key. */
  readonly secret: string | readonly string[];
  /** Default {@link DEFAULT_TOLERANCE_SECONDS}; checked in both directions. */
  readonly toleranceSeconds?: number;
  /** Milliseconds since the epoch, or a clock. Default `Date.now`. */
  readonly now?: number | Clock;
  /** Default: `node:crypto` on Node, WebCrypto on edge runtimes. */
  readonly crypto?: CryptoProvider;
}

/**
 * Verifies a delivery's signature and timestamp. Resolves with what was verified, or rejects
 * with a {@link WebhookError} whose code says exactly what is wrong.
 *
 * @example
 * ```ts
 * const verified = await verifySignatureWith(nodeCryptoProvider, { rawBody, headers: req.headers, secret: [current, previous] });
 * ```
 */
export async function verifySignatureWith(
  defaultCrypto: CryptoProvider,
  options: VerifySignatureOptions,
): Promise<VerifiedDelivery> {
  const now = options.now ?? Date.now;
  return verifyDelivery(
    readDeliveryHeaders(options.headers),
    toBytes(options.rawBody),
    normalizeSecrets(options.secret),
    options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS,
    typeof now === 'number' ? now : now(),
    options.crypto ?? defaultCrypto,
  );
}
