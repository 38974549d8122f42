export { bodyReader, createFetchHandler } from './fetch-handler';
export type { FetchWebhookHandler } from './fetch-handler';
