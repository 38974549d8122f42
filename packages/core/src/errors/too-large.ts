import { WebhookError } from './webhook-error';

/**
 * The error for a body over the limit; adapters throw it from their {@link BodyReader}.
 *
 * @example
 * ```ts
 * if (declaredLength > limit) throw tooLarge(limit, declaredLength);
 * ```
 */
export function tooLarge(limit: number, found?: number): WebhookError {
  return new WebhookError(
    'payload_too_large',
    `Expected a body of at most ${limit} bytes, found ${found === undefined ? 'more' : found}. Raise maxBodyBytes if your deliveries are legitimately larger.`,
  );
}
