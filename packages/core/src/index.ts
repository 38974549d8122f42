export { WebhookError, WEBHOOK_ERROR_STATUS, answerMessage, isWebhookError } from './webhook-error';
export type { WebhookErrorCode, WebhookErrorDetails } from './webhook-error';
export type { CryptoProvider } from './crypto/crypto-provider';
export { nodeCryptoProvider } from './crypto/node-crypto-provider';
export { createWebCryptoProvider, webCryptoProvider } from './crypto/web-crypto-provider';
export { defaultCryptoProvider } from './crypto/default-crypto-provider';
export { readDeliveryHeaders, deliveryHeadersSchema } from './delivery-headers';
export type { DeliveryHeaders, HeaderPrefix, HeadersInput } from './delivery-headers';
export { computeSignature, verifySignature, DEFAULT_TOLERANCE_SECONDS } from './signature';
export type { Clock, RawBody, VerifiedDelivery, VerifySignatureOptions } from './signature';
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
} from './schemas';
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
} from './schemas';
export { normalizeStatus, isTerminal, statusRank, TERMINAL_STATUSES } from './job-status';
export type { JobStatus } from './job-status';
export { applyObservation } from './job-state-machine';
export type {
  AppliedEvent,
  JobFailure,
  JobObservation,
  JobOutput,
  JobSource,
  JobState,
  JobTransition,
} from './job-state-machine';
export { findConflict, readApiObject, readEvent } from './job-observation';
export { storeApiObject } from './store-api-object';
export type { StoreApiObjectOptions } from './store-api-object';
export { assertAnswerFor, assertPlainJobId, isPlainJobId } from './job-id';
export type { ConflictReason, EventReading } from './job-observation';
export type { ClaimResult, DedupeStore } from './dedupe-store';
export { isPromiseLike } from './maybe-promise';
export type { MaybePromise } from './maybe-promise';
export { createMemoryDedupeStore, MEMORY_DEDUPE_DEFAULTS } from './memory-dedupe-store';
export type { MemoryDedupeStoreOptions } from './memory-dedupe-store';
export type { JobStore } from './job-store';
export { listOpenJobs, OPEN_STATUSES } from './job-store';
export { createMemoryJobStore, DEFAULT_MEMORY_JOB_STORE_MAX } from './memory-job-store';
export type { MemoryJobStoreOptions } from './memory-job-store';
export { createVideosClient, parseRetryAfter, VIDEOS_CLIENT_DEFAULTS } from './videos-client';
export { redactCredentials } from './redact-credentials';
export type { ListVideosOptions, VideosClient, VideosClientOptions } from './videos-client';
export { parseDelivery } from './parse-event';
export type { ParsedDelivery } from './parse-event';
export { createReceiver, toReceiver } from './receiver';
export { tooLarge } from './accept-request';
export { createClaimRunner } from './with-claim';
export type { ClaimedWork, ClaimRunner } from './with-claim';
export { recallEvent, rememberEvent, APPLIED_EVENTS_KEPT } from './applied-events';
export { nodeBodyReader } from './node-body-reader';
export type { NodeIncomingRequest } from './node-body-reader';
export type {
  BodyReader,
  DeliveryInfo,
  EventFor,
  Receiver,
  ReceiverRequest,
  ReceiverResponse,
  WebhookContext,
  WebhookHandler,
} from './receiver';
export { RECEIVER_DEFAULTS, SENDER_RETRY_HORIZON_MS } from './receiver-options';
export type {
  ConflictReport,
  DeliveryReport,
  Logger,
  ReceiverOptions,
  ReconcileMode,
  ResolvedReceiverOptions,
} from './receiver-options';
export { createPoller, POLLER_DEFAULTS } from './poller';
export type { Poller, PollerOptions } from './poller';
