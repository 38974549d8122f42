/**
 * One step of the kit's schema: applied once per schema, in order of `version`, each in the
 * transaction of {@link migrate}. `statements` gets the quoted schema name. A released migration
 * is never edited: a change is a new version.
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly statements: (schema: string) => readonly string[];
}

// processed_events: one row per event key, a lease (token, expires_at) or done (until expires_at).
// jobs: the state machine's JobState as jsonb, with the columns the lists sort and filter on.
// events: what the example apps list (one row per processed event id).
// inbox: deliveries acknowledged durably, for the inbox worker (issue 11, part 2).
const processedEventsTable = (s: string): readonly string[] => [
  `create table ${s}.processed_events (
    event_key text primary key,
    state text not null check (state in ('lease', 'done')),
    token text not null,
    expires_at timestamptz not null
  )`,
  `create index processed_events_expires_at on ${s}.processed_events (expires_at)`,
];

const jobsTable = (s: string): readonly string[] => [
  `create table ${s}.jobs (
    id text primary key,
    kind text not null,
    status text not null,
    state jsonb not null,
    version integer not null,
    created_at timestamptz not null,
    updated_at timestamptz not null
  )`,
  `create index jobs_created_at on ${s}.jobs (created_at desc, id desc)`,
  `create index jobs_open on ${s}.jobs (created_at, id) where status in ('queued', 'processing')`,
];

const eventsTable = (s: string): readonly string[] => [
  `create table ${s}.events (
    id bigint generated always as identity primary key,
    event_id text not null unique,
    type text not null,
    job_id text not null,
    attempt integer not null,
    received_at timestamptz not null,
    job_status text not null,
    reconciled boolean not null default false,
    conflict text,
    recorded_at timestamptz not null default now()
  )`,
  `create index events_job_id on ${s}.events (job_id)`,
];

const inboxTable = (s: string): readonly string[] => [
  `create table ${s}.inbox (
    id bigint generated always as identity primary key,
    event_id text not null unique,
    type text,
    job_id text,
    body text not null,
    headers jsonb not null default '{}'::jsonb,
    status text not null default 'pending' check (status in ('pending', 'processing', 'done', 'dead')),
    attempts integer not null default 0,
    next_attempt_at timestamptz not null default now(),
    lease_until timestamptz,
    last_error text,
    received_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    processed_at timestamptz
  )`,
  `create index inbox_due on ${s}.inbox (next_attempt_at, id) where status in ('pending', 'processing')`,
  `create index inbox_job_id on ${s}.inbox (job_id) where status in ('pending', 'processing')`,
  `create index inbox_dead on ${s}.inbox (updated_at) where status = 'dead'`,
];

const initial = (s: string): readonly string[] => [
  ...processedEventsTable(s),
  ...jobsTable(s),
  ...eventsTable(s),
  ...inboxTable(s),
];

// inbox, for the inbox worker: what the receiver knows of a delivery besides its body (the dedupe
// key, the sender's attempt, the header prefix, legacy), the token of the claim that holds a
// row in 'processing' (its lease), and the indexes the worker and the operations read.
const inboxWorker = (s: string): readonly string[] => [
  `alter table ${s}.inbox add column dedupe_key text`,
  `alter table ${s}.inbox add column delivery_attempt integer not null default 1`,
  `alter table ${s}.inbox add column prefix text not null default 'phaseo' check (prefix in ('phaseo', 'ai-stats'))`,
  `alter table ${s}.inbox add column legacy boolean not null default false`,
  `alter table ${s}.inbox add column lease_token text`,
  `create index inbox_status on ${s}.inbox (status, next_attempt_at)`,
  `create index inbox_lease on ${s}.inbox (lease_until) where status = 'processing'`,
  `create index inbox_done on ${s}.inbox (processed_at) where status = 'done'`,
];

/**
 * Every version of the schema, oldest first.
 *
 * @example
 * ```ts
 * const latest = MIGRATIONS.at(-1)!.version; // what migrate() brings a schema to
 * ```
 */
export const MIGRATIONS: readonly Migration[] = Object.freeze([
  { version: 1, name: 'initial', statements: initial },
  { version: 2, name: 'inbox worker', statements: inboxWorker },
]);
