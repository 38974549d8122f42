// The portable public surface, the same on every runtime, in the order the pipeline runs. The
// entries (index.node.ts, index.web.ts) re-export it and add what depends on the runtime.

// errors
export { WebhookError, WEBHOOK_ERROR_STATUS, answerMessage, isWebhookError } from './errors/webhook-error';
export type { WebhookErrorCode, WebhookErrorDetails } from './errors/webhook-error';
export { redactCredentials } from './errors/redact-credentials';
export { tooLarge } from './errors/too-large';
export {
  MAX_TIMER_MS,
  integerOption,
  invalidOption,
  numberOption,
  oneOfOption,
  timerOption,
} from './errors/invalid-option';
export { describeFound } from './errors/describe-found';
// receiver
export { RECEIVER_DEFAULTS, SENDER_RETRY_HORIZON_MS } from './receiver/receiver-options';
export type {
  ConflictReport,
  DeliveryReport,
  Logger,
  ReceiverOptions,
  ReconcileMode,
  ResolvedReceiverOptions,
} from './receiver/receiver-options';
export type {
  DeliveryInfo,
  EventFor,
  Receiver,
  ReceiverRequest,
  ReceiverResponse,
  WebhookContext,
  WebhookHandler,
} from './receiver/receiver-types';
// stages: accept → verify → parse → claim → settle → dispatch → respond
export type { BodyReader } from './stages/accept';
export { DEFAULT_TOLERANCE_SECONDS } from './stages/verify';
export type { Clock, VerifiedDelivery } from './stages/verify';
export type { VerifySignatureOptions } from './signature/verify-signature';
export { parseDelivery } from './stages/parse';
export type { ParsedDelivery } from './stages/parse';
export { createClaimRunner } from './stages/claim';
export type { ClaimedWork, ClaimRunner } from './stages/claim';
// wire format
export { readDeliveryHeaders, deliveryHeadersSchema } from './wire/delivery-headers';
export type { DeliveryHeaders, HeaderPrefix, HeadersInput } from './wire/delivery-headers';
export type { RawBody } from './wire/raw-body';
export { readCappedStream } from './wire/read-capped-stream';
export {
  EVENT_PHASES,
  apiErrorBodySchema,
  batchDataSchema,
  batchEventSchema,
  batchObjectSchema,
  deliverySchema,
  legacyEventSchema,
  statusChangeSchema,
  upstreamErrorSchema,
  videoDataSchema,
  videoEventSchema,
  videoListSchema,
  videoObjectSchema,
  webhookEventSchema,
} from './wire/schemas';
export type {
  BatchData,
  BatchEvent,
  BatchObject,
  EventPhase,
  JobKind,
  LegacyEvent,
  VideoData,
  VideoEvent,
  VideoList,
  VideoObject,
  WebhookEvent,
  WebhookEventType,
} from './wire/schemas';
// dedupe
export type { ClaimResult, DedupeStore } from './dedupe/dedupe-store';
export { dedupeKeyOf } from './dedupe/dedupe-key';
export { createMemoryDedupeStore, MEMORY_DEDUPE_DEFAULTS } from './dedupe/memory-dedupe-store';
export type { MemoryDedupeStoreOptions } from './dedupe/memory-dedupe-store';
// job
export { normalizeStatus, isTerminal, statusRank, TERMINAL_STATUSES } from './job/job-status';
export type { JobStatus } from './job/job-status';
export { applyObservation } from './job/job-state-machine';
export type {
  AppliedEvent,
  JobFailure,
  JobObservation,
  JobOutput,
  JobSource,
  JobState,
  JobTransition,
} from './job/job-state-machine';
export { findConflict, readApiObject, readEvent } from './job/job-observation';
export type { ConflictReason, EventReading } from './job/job-observation';
export { recallEvent, rememberEvent, APPLIED_EVENTS_KEPT, STATUS_CHANGES_KEPT } from './job/applied-events';
export { assertAnswerFor, assertPlainJobId, isPlainJobId, PLAIN_JOB_ID_RULE } from './job/job-id';
export type { JobCount, JobStore } from './job/job-store';
export { countJobs, listOpenJobs, OPEN_STATUSES } from './job/job-store';
export { createMemoryJobStore, DEFAULT_MEMORY_JOB_STORE_MAX } from './job/memory-job-store';
export type { MemoryJobStoreOptions } from './job/memory-job-store';
export type { MaybePromise } from './maybe-promise';
// Video API
export { createVideosClient, VIDEOS_CLIENT_DEFAULTS } from './api/videos-client';
export { parseRetryAfter } from './api/api-error';
export type { ApiCallOptions, ListVideosOptions, VideosClient, VideosClientOptions } from './api/videos-client';
export {
  CREATE_VIDEO_FIELDS,
  VIDEO_WEBHOOK_EVENTS,
  createVideoRequestSchema,
  parseCreateVideoRequest,
  videoCreateBody,
} from './api/create-video-request';
export type { CreateVideoRequest, ParsedCreateVideoRequest, WebhookTarget } from './api/create-video-request';
export { storeApiObject } from './api/store-api-object';
export type { StoreApiObjectOptions } from './api/store-api-object';
export { createPoller, POLLER_DEFAULTS } from './api/poller';
export type { Poller, PollerOptions } from './api/poller';
// observability (OpenTelemetry through the user's own @opentelemetry/api)
export { createOpenTelemetry, OPEN_TELEMETRY_DEFAULTS } from './observability/create-open-telemetry';
export type { OpenTelemetryOptions } from './observability/create-open-telemetry';
export { TELEMETRY_NAMES } from './observability/telemetry-names';
export type { DeliveryTrace, Telemetry, TelemetryStage } from './observability/telemetry';
export type { OpenTelemetryApi, OtelMeter, OtelTracer } from './observability/open-telemetry-api';
// runtime
export type { CryptoProvider } from './runtime/crypto-provider';
export type { Runtime } from './runtime/runtime';
export type { RuntimeApi } from './runtime/bind-runtime';
export { createWebCryptoProvider, webCryptoProvider } from './runtime/web/web-crypto-provider';
export type { NodeIncomingRequest } from './runtime/node/node-body-reader';
export type { StoreTransaction, TransactionalStores } from './dedupe/transactional-stores';
export type { Inbox, InboxEntry } from './dedupe/inbox';
export { hasUnstorableText, toStorableText } from './wire/storable-text';
