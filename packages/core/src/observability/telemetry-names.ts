/**
 * The names of everything the kit reports through OpenTelemetry: spans, span attributes, metric
 * instruments and their attributes. Attribute values are ids, types, counts, codes and enums,
 * never a secret, a header value or a body. `http.response.status_code` and `error.type` follow
 * the OpenTelemetry semantic conventions; `error.type` holds the kit's error code.
 *
 * @example
 * ```ts
 * const delivery = spans.find((s) => s.name === TELEMETRY_NAMES.spans.delivery);
 * delivery?.attributes[TELEMETRY_NAMES.attributes.outcome]; // 'processed'
 * ```
 */
export const TELEMETRY_NAMES = Object.freeze({
  /** The instrumentation scope of the tracer and the meter. */
  scope: '@ai-stats-webhooks/core',
  spans: Object.freeze({
    /** One per `handle()` call, kind SERVER: the parent of the stage spans. */
    delivery: 'ai_stats.webhook.delivery',
    /** One per `processQueued()` call (inbox workers), kind CONSUMER. */
    process: 'ai_stats.webhook.process',
    accept: 'ai_stats.webhook.accept',
    verify: 'ai_stats.webhook.verify',
    parse: 'ai_stats.webhook.parse',
    enqueue: 'ai_stats.webhook.enqueue',
    claim: 'ai_stats.webhook.claim',
    settle: 'ai_stats.webhook.settle',
    /** One per handler run. */
    dispatch: 'ai_stats.webhook.dispatch',
    commit: 'ai_stats.webhook.commit',
    /** The Video API calls made while settling, kind CLIENT. */
    getVideo: 'GET /videos/{id}',
    getBatch: 'GET /batches/{id}',
  }),
  attributes: Object.freeze({
    eventId: 'ai_stats.webhook.event.id',
    eventType: 'ai_stats.webhook.event.type',
    attempt: 'ai_stats.webhook.attempt',
    jobId: 'ai_stats.job.id',
    jobKind: 'ai_stats.job.kind',
    /** The job's status once settled. */
    jobStatus: 'ai_stats.job.status',
    /** `processed`, `duplicate`, `in_flight`, `rejected` or `failed`. */
    outcome: 'ai_stats.webhook.outcome',
    reconciled: 'ai_stats.webhook.reconciled',
    conflictReason: 'ai_stats.webhook.conflict.reason',
    conflictResolution: 'ai_stats.webhook.conflict.resolution',
    handlerIndex: 'ai_stats.webhook.handler.index',
    handlerName: 'ai_stats.webhook.handler.name',
    httpStatus: 'http.response.status_code',
    httpMethod: 'http.request.method',
    urlTemplate: 'url.template',
    /** The kit's error code (`signature_mismatch`, `handler_failed`, `api_timeout`, …). */
    errorType: 'error.type',
  }),
  metrics: Object.freeze({
    /** Counter, one per answered delivery; attributes `outcome` and `type` (the event type, `unknown` before parse). */
    deliveries: 'ai_stats.webhook.deliveries',
    /** Histogram in seconds, from the start of `handle()` to its answer; attributes `outcome` and `type`. */
    deliveryDuration: 'ai_stats.webhook.delivery.duration',
    /** Counter; attribute `resolution`: `reconciled`, `api_unavailable`, `no_api`, `not_reconciled` or `failed` (503, retried). */
    reconciliations: 'ai_stats.reconciliations',
  }),
});
