import type { CryptoProvider } from '../runtime/crypto-provider';
import { toBytes, type RawBody } from '../wire/raw-body';
import { normalizeSecrets } from './normalize-secrets';

/**
 * Computes the sender's signature: lowercase hex HMAC-SHA256 of `${timestamp}.${rawBody}` keyed
 * with the whole (trimmed) secret.
 *
 * @example
 * ```ts
 * const sig = await computeSignatureWith(nodeCryptoProvider, 'whsec_test_123', '1781166600', body);
 * ```
 */
export async function computeSignatureWith(
  defaultCrypto: CryptoProvider,
  secret: string,
  timestamp: string | number,
  rawBody: RawBody,
  crypto: CryptoProvider = defaultCrypto,
): Promise<string> {
  const [key] = normalizeSecrets(secret);
  return crypto.hmacSha256Hex(key!, String(timestamp), toBytes(rawBody));
}
