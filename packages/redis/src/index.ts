export { createRedisDedupeStore } from './redis-dedupe-store';
export type { RedisDedupeStoreOptions } from './redis-dedupe-store';
export { createRedisJobStore } from './redis-job-store';
export type { RedisJobStoreOptions } from './redis-job-store';
export { DEFAULT_PREFIX, DEFAULT_COMMAND_TIMEOUT_MS } from './redis-command';
export type { RedisCommandClient, RedisStoreBaseOptions } from './redis-command';
