export { createDelivery } from './create-delivery';
export type { CreateDeliveryOptions, DeliveryBody, DeliveryJobInput } from './create-delivery';
export { eventId } from './event-id';
export { progressBucket } from './progress-bucket';
export { PUBLIC_BASE_URL } from './public-base-url';
export { DEFAULT_UPSTREAM_ERRORS } from './upstream-error';
export type { UpstreamError } from './upstream-error';
export { signDelivery } from './sign-delivery';
export type { SignDeliveryOptions, SignedDelivery } from './sign-delivery';
export { createMockGateway, MOCK_GATEWAY_DEFAULTS } from './mock-gateway';
export type { MockGateway, MockGatewayOptions } from './mock-gateway';
export type { DeliveryRecord, MockJob } from './mock-job';
export type { MockInternalStatus } from './job-lifecycle';
export { RETRY_DELAYS_MS, MAX_ATTEMPTS, subscribed } from './webhook-sender';
export type { MockFaults } from './webhook-sender';
export { createSeededRandom } from './seeded-random';
export {
  describeDedupeStoreContract,
  DEDUPE_STORE_CONTRACT_DEFAULTS,
} from './store-contracts/describe-dedupe-store-contract';
export type {
  DedupeStoreContractOptions,
  DedupeStoreContractSetup,
} from './store-contracts/describe-dedupe-store-contract';
export { describeJobStoreContract, JOB_STORE_CONTRACT_DEFAULTS } from './store-contracts/describe-job-store-contract';
export type { JobStoreContractOptions, JobStoreContractSetup } from './store-contracts/describe-job-store-contract';
export type { StoreContractClock } from './store-contracts/store-contract-context';
