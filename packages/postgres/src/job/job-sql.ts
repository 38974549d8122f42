import { OPEN_STATUSES, toStorableText, type JobCount, type JobState, type JobStatus } from '@ai-stats-webhooks/core';
import type { PostgresQueryable } from '../driver/postgres-driver';

/** The job statements on one `<schema>.jobs` table, run through any queryable (a transaction or not). */
export interface JobSql {
  get(q: PostgresQueryable, id: string): Promise<JobState | undefined>;
  /** Inside a transaction: locks the row (`for update`), applies, writes; see `updateJob`. */
  update(q: PostgresQueryable, id: string, apply: (current: JobState | undefined) => JobState): Promise<JobState>;
  list(
    q: PostgresQueryable,
    options: { readonly limit?: number; readonly status?: readonly JobStatus[] },
  ): Promise<JobState[]>;
  listOpen(q: PostgresQueryable, options: { readonly limit?: number }): Promise<JobState[]>;
  /** The jobs per kind and status: one `group by` over the `kind` and `status` columns. */
  countByStatus(q: PostgresQueryable): Promise<JobCount[]>;
}

// jsonb refuses the escapes JSON.stringify writes for U+0000 and for half of a surrogate pair
// ("unsupported Unicode escape sequence"), so a provider's error text with one of them would fail
// every write of its job: those characters are stored as U+FFFD, and the state returned says so.
const UNSTORABLE_ESCAPE = /\\u0000|\\ud[89a-f]/i;
const replaceUnstorable = (_key: string, value: unknown): unknown =>
  typeof value === 'string' ? toStorableText(value) : value;

function storable(state: JobState): { state: JobState; json: string } {
  const json = JSON.stringify(state);
  if (!UNSTORABLE_ESCAPE.test(json)) return { state, json };
  const replaced = JSON.stringify(state, replaceUnstorable);
  return { state: JSON.parse(replaced) as JobState, json: replaced };
}

// The second select finds the row the first insert collided with; the third try is a margin.
const CREATE_TRIES = 3;

/**
 * The job statements for the table `table` (schema-qualified and quoted). `update` must run in a
 * transaction: it reads the row `for update`, so concurrent writers of one job wait for each other
 * (no lost update, no retry), and a job created by two writers at once is inserted by one, then
 * locked and updated by the other.
 *
 * @example
 * ```ts
 * const jobs = jobSql('"ai_stats_webhooks".jobs');
 * await driver.transaction((tx) => jobs.update(tx, 'G-1', (current) => next(current)));
 * ```
 */
export function jobSql(table: string): JobSql {
  const sql = jobStatements(table);
  const states = (rows: { state: JobState }[]) => rows.map((row) => row.state);
  return {
    // PostgreSQL text cannot hold NUL, so no job has such an id (asking would be an error, a 500).
    get: async (q, id) =>
      id.includes('\0') ? undefined : (await q.query<{ state: JobState }>(sql.get, [id])).rows[0]?.state,
    update: (q, id, apply) => updateJob(q, sql, id, apply),
    async list(q, { limit, status }) {
      const { rows } = await q.query<{ state: JobState }>(sql.list, [status ? [...status] : null, limitParam(limit)]);
      return states(rows);
    },
    async listOpen(q, { limit }) {
      return states((await q.query<{ state: JobState }>(sql.listOpen, [limitParam(limit)])).rows);
    },
    // count(*) is a bigint (a string in pg): ::int, as the inbox stats do.
    countByStatus: async (q) => (await q.query<JobCount>(sql.countByStatus, [])).rows,
  };
}

type JobStatements = ReturnType<typeof jobStatements>;

function jobStatements(table: string) {
  const select = `select state from ${table}`;
  const open = OPEN_STATUSES.map((status) => `'${status}'`).join(', ');
  return {
    get: `${select} where id = $1`,
    lock: `${select} where id = $1 for update`,
    insert: `insert into ${table} (id, kind, status, state, version, created_at, updated_at)
      values ($1, $2, $3, $4::jsonb, $5, $6::timestamptz, $7::timestamptz) on conflict (id) do nothing returning 1 as ok`,
    write: `update ${table} set kind = $2, status = $3, state = $4::jsonb, version = $5, updated_at = $6::timestamptz
      where id = $1`,
    list: `${select} where ($1::text[] is null or status = any($1::text[]))
      order by created_at desc, id desc limit $2`,
    listOpen: `${select} where status in (${open}) order by created_at, id limit $1`,
    countByStatus: `select kind, status, count(*)::int as count from ${table} group by kind, status order by kind, status`,
  };
}

async function updateJob(
  q: PostgresQueryable,
  sql: JobStatements,
  id: string,
  apply: (current: JobState | undefined) => JobState,
): Promise<JobState> {
  for (let attempt = 1; ; attempt++) {
    const current = (await q.query<{ state: JobState }>(sql.lock, [id])).rows[0]?.state;
    const next = apply(current);
    if (next === current) return next;
    const expected = current?.version ?? 0;
    // The state machine bumps the version on every change; a store-made state may not.
    const { state: stored, json } = storable(next.version > expected ? next : { ...next, version: expected + 1 });
    const [createdAt, updatedAt] = times(stored);
    const params = [id, stored.kind, stored.status, json, stored.version];
    if (current !== undefined) {
      await q.query(sql.write, [...params, updatedAt]);
      return stored;
    }
    // Another writer created the job since the select: lock it and apply again.
    if ((await q.query(sql.insert, [...params, createdAt, updatedAt])).rows.length === 1) return stored;
    if (attempt >= CREATE_TRIES) {
      throw new Error(
        `Expected to create or lock job ${id}, found neither after ${attempt} tries; the sender will retry.`,
      );
    }
  }
}

// The sort columns: the state's own times, or now for a time that does not parse.
function times(state: JobState): [string, string] {
  const now = new Date().toISOString();
  const time = (iso: string) => (Number.isNaN(Date.parse(iso)) ? now : iso);
  return [time(state.createdAt), time(state.updatedAt)];
}

// `limit null` is no limit; a negative limit lists nothing, as slice() would.
function limitParam(limit: number | undefined): number | null {
  if (limit === undefined || limit === Number.POSITIVE_INFINITY) return null;
  return Math.max(0, Math.floor(limit));
}
