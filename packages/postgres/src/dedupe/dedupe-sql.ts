// The dedupe statements, one round trip each, atomic on the server. A row is a lease (state
// 'lease', the holder's token) or done; either counts as absent once expires_at has passed.
// $n::float8 * interval: a TTL of 30 days in ms does not fit an int4.

/**
 * The advisory lock every claim tries, on the schema and the event key (hashed to 64 bits in SQL by
 * `hashtextextended`): the same event id in two schemas takes two locks.
 *
 * @example
 * ```ts
 * await tx.query('select pg_try_advisory_xact_lock(hashtextextended($1, 0))', [lockName(schema, key)]);
 * ```
 */
export const lockName = (schema: string, key: string): string => `ai-stats-webhooks:dedupe:${schema}:${key}`;

/**
 * Claim: while another claim holds the event's advisory lock (a transactional claim in flight, or
 * a claim of the same key this very moment), only read the key (done stays done, anything else is
 * in flight); else insert a lease, take over an expired row, or leave a live one as it is.
 * Returns the row as it is now: holding $2 = claimed; no row = in flight.
 * $1 key, $2 token, $3 lease ms, $4 lock name.
 *
 * @example
 * ```ts
 * const { rows } = await db.query(claimSql(table), [key, token, leaseMs, lockName(schema, key)]);
 * ```
 */
export const claimSql = (t: string): string => `
with lock as (select pg_try_advisory_xact_lock(hashtextextended($4, 0)) as free),
claim as (
  insert into ${t} as p (event_key, state, token, expires_at)
  select $1, 'lease', $2, clock_timestamp() + $3::float8 * interval '1 millisecond' from lock where free
  on conflict (event_key) do update set
    state = case when p.expires_at <= clock_timestamp() then 'lease' else p.state end,
    token = case when p.expires_at <= clock_timestamp() then excluded.token else p.token end,
    expires_at = case when p.expires_at <= clock_timestamp() then excluded.expires_at else p.expires_at end
  returning p.state, p.token
)
select state, token from claim
union all
select state, null from ${t}
where event_key = $1 and expires_at > clock_timestamp() and not (select free from lock)`;

/**
 * Commit: done for $3 ms, unless another live lease holds the key (ours, done, expired or absent:
 * done). $1 key, $2 token, $3 ttl ms. A row back = committed.
 *
 * @example
 * ```ts
 * const committed = (await db.query(commitSql(table), [key, token, ttlMs])).rows.length === 1;
 * ```
 */
export const commitSql = (t: string): string => `
insert into ${t} as p (event_key, state, token, expires_at)
values ($1, 'done', $2, clock_timestamp() + $3::float8 * interval '1 millisecond')
on conflict (event_key) do update set state = 'done', token = excluded.token, expires_at = excluded.expires_at
where p.token = $2 or p.state = 'done' or p.expires_at <= clock_timestamp()
returning 1 as ok`;

/**
 * Release: only the holder's lease; true (`live`) when it had not expired yet. $1 key, $2 token.
 *
 * @example
 * ```ts
 * const released = (await db.query(releaseSql(table), [key, token])).rows[0]?.live === true;
 * ```
 */
export const releaseSql = (t: string): string => `
delete from ${t} where event_key = $1 and token = $2 and state = 'lease'
returning expires_at > clock_timestamp() as live`;

/**
 * Extend: only the holder's live lease, for another $3 ms. $1 key, $2 token.
 *
 * @example
 * ```ts
 * const extended = (await db.query(extendSql(table), [key, token, leaseMs])).rows.length === 1;
 * ```
 */
export const extendSql = (t: string): string => `
update ${t} set expires_at = clock_timestamp() + $3::float8 * interval '1 millisecond'
where event_key = $1 and token = $2 and state = 'lease' and expires_at > clock_timestamp()
returning 1 as ok`;

/**
 * Deletes up to $1 expired rows (leases and done keys); returns one row per key deleted.
 *
 * @example
 * ```ts
 * const deleted = (await db.query(pruneSql(table), [500])).rows.length;
 * ```
 */
export const pruneSql = (t: string): string => `
delete from ${t} where event_key in (
  select event_key from ${t} where expires_at <= clock_timestamp() limit $1 for update skip locked
)
returning 1 as ok`;

/**
 * The state of a key now, for a transactional claim that holds the event's lock. $1 key.
 *
 * @example
 * ```ts
 * const state = (await tx.query(stateSql(table), [key])).rows[0]?.state; // 'lease' | 'done' | undefined
 * ```
 */
export const stateSql = (t: string): string => `
select state from ${t} where event_key = $1 and expires_at > clock_timestamp()`;
