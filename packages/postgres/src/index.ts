export { channelName, toPostgresDriver } from './driver/postgres-driver';
export type {
  PostgresDatabase,
  PostgresDriver,
  PostgresListener,
  PostgresListenHandlers,
  PostgresQueryable,
  PostgresResult,
  PostgresTransaction,
} from './driver/postgres-driver';
export { fromPgPool, isPgPool } from './driver/from-pg-pool';
export type { PgPoolClientLike, PgPoolLike } from './driver/from-pg-pool';
export { fromPGlite, isPGlite } from './driver/from-pglite';
export type { PGliteLike, PGliteTransactionLike } from './driver/from-pglite';
export { openPGlite } from './driver/open-pglite';
export type { EmbeddedPostgres, OpenedPGliteDatabase, OpenPGliteOptions, PGliteModuleLike } from './driver/open-pglite';
export { DATA_DIR_LOCK_FILE, lockDataDir } from './driver/data-dir-lock';
export type { DataDirLock } from './driver/data-dir-lock';
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
export { createPostgresInbox, inboxChannel, POSTGRES_INBOX_DEFAULTS } from './inbox/postgres-inbox';
export type { InboxReplayResult, InboxStats, PostgresInbox, PostgresInboxOptions } from './inbox/postgres-inbox';
export type { InboxRecord, InboxStatus } from './inbox/inbox-row';
export { createInboxWorker } from './inbox/inbox-worker';
export type { InboxDrainResult, InboxStopResult, InboxWorker } from './inbox/inbox-worker';
export { INBOX_WORKER_DEFAULTS } from './inbox/inbox-worker-options';
export type { InboxWorkerOptions } from './inbox/inbox-worker-options';
export type { InboxWorkerCounts } from './inbox/inbox-pump';
export type { InboxRowOutcome } from './inbox/process-inbox-row';
export { retryDelayMs } from './inbox/retry-schedule';
export type { InboxBackoff } from './inbox/retry-schedule';
