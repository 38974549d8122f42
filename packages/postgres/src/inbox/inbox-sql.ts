// The inbox statements, on one `<schema>.inbox` table. Every statement that reads or writes a time
// takes the clock as $1: a timestamptz (an injected clock, for tests) or null (the database's
// clock), so that due times, leases and ages are all read on the clock that wrote them.
// statement_timestamp() is stable within a statement, so the claim's range conditions use indexes.
const NOW = 'coalesce($1::timestamptz, statement_timestamp())';
const MS = (param: string) => `${param}::float8 * interval '1 millisecond'`;

/** The columns `list()` returns. */
const RECORD_COLUMNS = `id, event_id, type, job_id, status, attempts, delivery_attempt, next_attempt_at, lease_until,
  last_error, received_at, updated_at, processed_at`;

/**
 * The inbox statements for the table `table` (schema-qualified and quoted) and the done marks in
 * `processed` (the dedupe table of the same schema, which `replay` clears for a done event).
 *
 * @example
 * ```ts
 * const sql = inboxSql('"ai_stats_webhooks".inbox', '"ai_stats_webhooks".processed_events');
 * await db.query(sql.enqueue(1), [null, eventId, …]);
 * ```
 */
export function inboxSql(table: string, processed: string) {
  return { ...receiveStatements(table), ...workerStatements(table), ...operationStatements(table, processed) };
}

/** The statements of {@link inboxSql}. */
export type InboxSql = ReturnType<typeof inboxSql>;

// enqueue: one statement, so it is its own transaction: when it answers, its rows are committed.
// The event ids it returns are the rows it inserted; an id not returned was there already. The
// statement for `rows` rows (distinct event ids): $1 the clock, then 9 parameters per row (event
// id, dedupe key, type, job id, attempt, prefix, legacy, body, received at).
/** Parameters of one row of `enqueue(rows)`. */
export const ENQUEUE_ROW_PARAMS = 9;

function receiveStatements(t: string) {
  const head = `insert into ${t} (event_id, dedupe_key, type, job_id, delivery_attempt, prefix, legacy, body, received_at,
  next_attempt_at, updated_at)
values `;
  const row = (r: number) => {
    const p = (i: number) => `$${2 + r * ENQUEUE_ROW_PARAMS + i}`;
    return `(${p(0)}, ${p(1)}, ${p(2)}, ${p(3)}, ${p(4)}::integer, ${p(5)}, ${p(6)}::boolean, ${p(7)}, ${p(8)}::timestamptz, ${NOW}, ${NOW})`;
  };
  const statements = new Map<number, string>();
  return {
    enqueue(rows: number): string {
      let text = statements.get(rows);
      if (text === undefined) {
        text = `${head}${Array.from({ length: rows }, (_, r) => row(r)).join(',\n  ')}
on conflict (event_id) do nothing
returning event_id`;
        statements.set(rows, text);
      }
      return text;
    },
  };
}

function workerStatements(t: string) {
  return {
    claim: claimStatement(t),
    // In the processing transaction: the row, locked, while this claim still holds it. $1 id, $2 token (no clock).
    lockRow: `select id from ${t} where id = $1 and lease_token = $2 and status = 'processing' for update`,
    // $1 the lock's name (no clock).
    jobLock: 'select pg_try_advisory_xact_lock(hashtextextended($1, 0)) as free',
    done: `update ${t} set status = 'done', processed_at = ${NOW}, updated_at = ${NOW}, lease_until = null,
  lease_token = null where id = $2`,
    // Back to pending in $3 ms, no attempt counted (the job or the event was busy). $2 id.
    later: `update ${t} set status = 'pending', next_attempt_at = ${NOW} + ${MS('$3')}, lease_until = null,
  lease_token = null, updated_at = ${NOW} where id = $2`,
    // A failed attempt. $2 id, $3 token, $4 'pending' or 'dead', $5 error text, $6 delay ms.
    fail: `update ${t} set status = $4, attempts = attempts + 1, last_error = $5, next_attempt_at = ${NOW} + ${MS('$6')},
  lease_until = null, lease_token = null, updated_at = ${NOW}
where id = $2 and lease_token = $3 and status = 'processing' returning attempts`,
    // What a stopping worker still holds and is not working on (those are locked). $2 tokens.
    release: `update ${t} set status = 'pending', lease_until = null, lease_token = null, updated_at = ${NOW}
where id in (select id from ${t} where lease_token = any($2::text[]) and status = 'processing' for update skip locked)
returning id`,
  };
}

// Claim: the due rows (pending and due, or processing with an expired lease: its worker died),
// locked with SKIP LOCKED so that concurrent workers take different rows, at most one per job and
// none of a job that has another row in processing (live, or expired and waiting to be taken
// over: that row goes first, and a row still locked by a live transaction past its lease keeps
// the job's other rows waiting instead of making them try in vain); then marked processing under a
// lease of $4 ms with token $5. A row taken over from a dead worker counts that worker's attempt
// as failed ($7 the error text); past $6 attempts it is dead instead. $2 how many, $3 how many to
// look at (several due rows may belong to one job).
function claimStatement(t: string): string {
  const noOtherInProcessing = `(i.job_id is null or not exists (
      select 1 from ${t} p where p.job_id = i.job_id and p.status = 'processing' and p.id <> i.id))`;
  const overRetries = `i.status = 'processing' and i.attempts + 1 >= $6`;
  return `with due as (
  select i.id, i.job_id, i.next_attempt_at from ${t} i
  where i.status = 'pending' and i.next_attempt_at <= ${NOW} and ${noOtherInProcessing}
  order by i.next_attempt_at, i.id limit $3
  for update skip locked
), expired as (
  select i.id, i.job_id, i.next_attempt_at from ${t} i
  where i.status = 'processing' and i.lease_until <= ${NOW}
  order by i.lease_until limit $3
  for update skip locked
), one_per_job as (
  select distinct on (coalesce(job_id, id::text)) id, next_attempt_at
  from (select * from expired union all select * from due) candidates
  order by coalesce(job_id, id::text), id
), chosen as (
  select id from one_per_job order by next_attempt_at, id limit $2
)
update ${t} i set
  status = case when ${overRetries} then 'dead' else 'processing' end,
  attempts = i.attempts + case when i.status = 'processing' then 1 else 0 end,
  last_error = case when i.status = 'processing' then $7 else i.last_error end,
  lease_until = ${NOW} + ${MS('$4')},
  lease_token = case when ${overRetries} then null else $5 end,
  updated_at = ${NOW}
from chosen where i.id = chosen.id
returning i.id, i.event_id, coalesce(i.dedupe_key, i.event_id) as dedupe_key, i.type, i.job_id, i.delivery_attempt,
  i.prefix, i.legacy, i.body, i.received_at, i.status, i.attempts`;
}

function operationStatements(t: string, processed: string) {
  return {
    stats: `select
  count(*) filter (where status = 'pending')::int as pending,
  count(*) filter (where status = 'pending' and attempts > 0)::int as retrying,
  count(*) filter (where status = 'processing')::int as processing,
  count(*) filter (where status = 'dead')::int as dead,
  count(*) filter (where status = 'done')::int as done,
  extract(epoch from ${NOW} - min(received_at) filter (where status = 'pending'))::float8 * 1000 as oldest_pending_ms
from ${t}`,
    // $1 status or null, $2 limit (no clock).
    list: `select ${RECORD_COLUMNS} from ${t} where ($1::text is null or status = $1) order by id desc limit $2`,
    // A dead or done row back to pending, its attempts reset. Only a DONE row's done mark is
    // forgotten (so its handlers run again); a dead row keeps a mark that another path (an inline
    // receiver on the same stores) wrote meanwhile, and is then answered duplicate. Only a row that
    // is dead or done is locked: a row being processed (its worker holds it) is answered at once.
    // A concurrent replay of the same row waits for the first, then finds it no longer dead or
    // done and replays nothing; `status` is then the statement's snapshot, which the caller reads
    // again (see replayRow). Returns the status before, and whether it replayed. $2 event id.
    replay: `with locked as (
  select id, status, coalesce(dedupe_key, event_id) as key from ${t}
  where event_id = $2 and status in ('dead', 'done') for update
), replayed as (
  update ${t} i set status = 'pending', attempts = 0, next_attempt_at = ${NOW}, lease_until = null,
    lease_token = null, processed_at = null, updated_at = ${NOW}
  from locked where i.id = locked.id
  returning locked.status as was, locked.key
), forgotten as (
  delete from ${processed} where event_key in (select key from replayed where was = 'done') returning 1
)
select status, (select count(*) from replayed)::int as replayed from ${t} where event_id = $2`,
    // The row's status now (a fresh snapshot). $1 event id.
    status: `select status from ${t} where event_id = $1`,
    retryDead: `update ${t} set status = 'pending', attempts = 0, next_attempt_at = ${NOW}, updated_at = ${NOW}
where status = 'dead' returning id`,
    // $2 age in ms, $3 batch size.
    prune: `delete from ${t} where id in (
  select id from ${t} where status = 'done' and processed_at < ${NOW} - ${MS('$2')} limit $3 for update skip locked
) returning id`,
  };
}
