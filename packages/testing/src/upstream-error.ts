import type { JobKind } from '@ai-stats-webhooks/core';

/** `upstream_error` of a failed job, in the sender's key order (spec §6.2). */
export interface UpstreamError {
  readonly code: string | null;
  readonly type: string | null;
  readonly message: string | null;
  readonly description: string | null;
  readonly param: string | null;
  readonly status: number | null;
}

/**
 * The `upstream_error` a failed job carries when nothing else is said: for video the content
 * policy rejection of the spec fixture `video.failed.attempt2.json`, for batch a failed batch.
 *
 * @example
 * ```ts
 * DEFAULT_UPSTREAM_ERRORS.video.message; // "The prompt was rejected by the provider's safety system."
 * ```
 */
export const DEFAULT_UPSTREAM_ERRORS: Readonly<Record<JobKind, UpstreamError & { code: string; message: string }>> =
  Object.freeze({
    video: Object.freeze({
      code: 'content_policy_violation',
      type: null,
      message: "The prompt was rejected by the provider's safety system.",
      description: null,
      param: 'prompt',
      status: 400,
    }),
    batch: Object.freeze({
      code: 'batch_failed',
      type: null,
      message: 'Every request in the batch failed.',
      description: null,
      param: null,
      status: 400,
    }),
  });

/**
 * A full `upstream_error`: the kind's default with the given fields laid over it, so a partial
 * override (`{ message }`) keeps every key the sender sends.
 *
 * @example
 * ```ts
 * upstreamError('video', { message: 'Out of credits.' }).code; // 'content_policy_violation'
 * ```
 */
export function upstreamError(kind: JobKind, fields: Partial<UpstreamError> = {}): UpstreamError {
  return { ...DEFAULT_UPSTREAM_ERRORS[kind], ...fields };
}

/**
 * The six failure fields of webhook `data`, in the sender's order (spec §6.2, §6.3): the upstream
 * error, then the diagnostics the kit leaves null.
 *
 * @example
 * ```ts
 * Object.keys(failureFields(null))[0]; // 'upstream_error'
 * ```
 */
export function failureFields(error: UpstreamError | null): Record<string, unknown> {
  return {
    upstream_error: error,
    provider_failure_diagnostics: null,
    failure_sample: null,
    routing_diagnostics: null,
    provider_enablement: null,
    provider_candidate_diagnostics: null,
  };
}
