import { createReceiverWith } from '../receiver/create-receiver';
import type { ReceiverOptions } from '../receiver/receiver-options';
import type { Receiver } from '../receiver/receiver-types';
import { computeSignatureWith } from '../signature/compute-signature';
import { verifySignatureWith, type VerifySignatureOptions } from '../signature/verify-signature';
import type { VerifiedDelivery } from '../stages/verify';
import type { RawBody } from '../wire/raw-body';
import type { CryptoProvider } from './crypto-provider';
import type { Runtime } from './runtime';

/** The public functions that use the runtime's default crypto provider. */
export interface RuntimeApi {
  /**
   * Creates the receiver pipeline: accept (405/415/413/408) → verify (401) → parse (400) → claim
   * (200 duplicate / 409) → settle (503 when the API must be retried) → dispatch (500 on throw)
   * → commit → respond. Answers are short JSON; a 5xx carries a fixed message per code (details
   * go to the logger). `handle()` never rejects.
   *
   * @example
   * ```ts
   * const receiver = createReceiver({ secret: process.env.AI_STATS_WEBHOOK_SECRET! });
   * receiver.on('video.completed', async ({ job }) => saveVideo(job.id, job.output?.contentUrl));
   * const { status, headers, body } = await receiver.handle({ method: 'POST', headers: req.headers, rawBody });
   * ```
   */
  readonly createReceiver: (options: ReceiverOptions) => Receiver;
  /**
   * What every adapter factory accepts: a receiver (to share one between routes), or the options
   * to create one.
   *
   * @example
   * ```ts
   * const receiver = toReceiver(receiverOrOptions);
   * ```
   */
  readonly toReceiver: (receiverOrOptions: Receiver | ReceiverOptions) => Receiver;
  /**
   * Verifies a delivery's signature and timestamp. Resolves with what was verified, or rejects
   * with a `WebhookError` whose code says exactly what is wrong.
   *
   * @example
   * ```ts
   * const verified = await verifySignature({ rawBody, headers: req.headers, secret: [current, previous] });
   * ```
   */
  readonly verifySignature: (options: VerifySignatureOptions) => Promise<VerifiedDelivery>;
  /**
   * Computes the sender's signature: lowercase hex HMAC-SHA256 of `${timestamp}.${rawBody}` keyed
   * with the whole (trimmed) secret.
   *
   * @example
   * ```ts
   * const signature = await computeSignature('whsec_test_123', '1781166600', body);
   * ```
   */
  readonly computeSignature: (
    secret: string,
    timestamp: string | number,
    rawBody: RawBody,
    crypto?: CryptoProvider,
  ) => Promise<string>;
}

/**
 * Binds the runtime-dependent public functions to one runtime; each package entry calls it once.
 *
 * @example
 * ```ts
 * export const { createReceiver, toReceiver, verifySignature, computeSignature } = bindRuntime(nodeRuntime);
 * ```
 */
export function bindRuntime(runtime: Runtime): RuntimeApi {
  const createReceiver = (options: ReceiverOptions) => createReceiverWith(runtime, options);
  return {
    createReceiver,
    toReceiver: (receiverOrOptions) =>
      typeof (receiverOrOptions as Receiver).handle === 'function'
        ? (receiverOrOptions as Receiver)
        : createReceiver(receiverOrOptions as ReceiverOptions),
    verifySignature: (options) => verifySignatureWith(runtime.crypto, options),
    computeSignature: (secret, timestamp, rawBody, crypto) =>
      computeSignatureWith(runtime.crypto, secret, timestamp, rawBody, crypto),
  };
}
