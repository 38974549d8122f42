export { toPostgresDriver } from './driver/postgres-driver';
export type {
  PostgresDatabase,
  PostgresDriver,
  PostgresQueryable,
  PostgresResult,
  PostgresTransaction,
} from './driver/postgres-driver';
export { fromPgPool, isPgPool } from './driver/from-pg-pool';
export type { PgPoolClientLike, PgPoolLike } from './driver/from-pg-pool';
export { fromPGlite, isPGlite } from './driver/from-pglite';
export type { PGliteLike, PGliteTransactionLike } from './driver/from-pglite';
export { migrate } from './schema/migrate';
export type { MigrateOptions, MigrateResult } from './schema/migrate';
export { MIGRATIONS } from './schema/migrations';
export type { Migration } from './schema/migrations';
export { DEFAULT_SCHEMA, schemaOption } from './schema/schema-option';
export { createPostgresDedupeStore, POSTGRES_DEDUPE_DEFAULTS } from './dedupe/postgres-dedupe-store';
export type {
  PostgresDedupeStore,
  PostgresDedupeStoreOptions,
  PostgresStoreBaseOptions,
} from './dedupe/postgres-dedupe-store';
export { createPostgresJobStore } from './job/postgres-job-store';
export type { PostgresJobStoreOptions } from './job/postgres-job-store';
export { createPostgresStores } from './postgres-stores';
export type { PostgresStores, PostgresStoresOptions } from './postgres-stores';
export { createPostgresEventLog, POSTGRES_EVENT_LOG_DEFAULTS } from './event-log/postgres-event-log';
export type { EventLogRecord, PostgresEventLog } from './event-log/postgres-event-log';
