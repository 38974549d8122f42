import { isWebhookError } from '@ai-stats-webhooks/core';
import type { PostgresQueryable, PostgresTransaction } from '../driver/postgres-driver';
import { explainMissingSchema } from '../schema/explain-missing-schema';
import { describeFailure } from './describe-failure';
import type { ClaimedRow } from './inbox-row';
import type { InboxSql } from './inbox-sql';
import type { ResolvedInboxWorkerOptions } from './inbox-worker-options';
import { retryDelayMs } from './retry-schedule';

/**
 * How one claimed row ended: `processed` or `duplicate` (done), `retry` (failed, due again later),
 * `dead` (failed for the last time), `busy` (its job or its event was being processed elsewhere:
 * due again shortly, no attempt counted), `lost` (another worker took it over after this claim's
 * lease expired), `unrecorded` (failed, and the failure could not be written: the lease expiry
 * hands it on).
 */
export type InboxRowOutcome = 'processed' | 'duplicate' | 'retry' | 'dead' | 'busy' | 'lost' | 'unrecorded';

/** How one claimed row ended, and in how many ms it is due again (for `retry` and `busy`). */
export interface RowResult {
  readonly outcome: InboxRowOutcome;
  readonly dueInMs?: number;
}

/**
 * The advisory lock that keeps the events of one job apart, per schema and job id.
 *
 * @example
 * ```ts
 * await tx.query(sql.jobLock, [jobLockName('ai_stats_webhooks', 'G-1')]);
 * ```
 */
export const jobLockName = (schema: string, jobId: string): string => `ai-stats-webhooks:inbox-job:${schema}:${jobId}`;

/**
 * Processes one claimed row in ONE transaction: lock the row (still this claim's?), take the job's
 * advisory lock (busy → due again shortly), run `receiver.processQueued(entry, scope)` with the
 * stores bound to this transaction (so the done mark, the job update and the handlers' writes
 * commit with the row's `done`), then mark it done. When anything throws, the transaction rolls
 * back and a second, short one records the failed attempt: a retry after the backoff, or dead.
 *
 * @example
 * ```ts
 * const { outcome } = await processInboxRow(opts, sql, row); // 'processed'
 * ```
 */
export async function processInboxRow(
  opts: ResolvedInboxWorkerOptions,
  sql: InboxSql,
  row: ClaimedRow,
): Promise<RowResult> {
  try {
    return await opts.driver.transaction((tx) => processInTransaction(opts, sql, row, tx));
  } catch (error) {
    return recordFailure(opts, sql, row, error);
  }
}

async function processInTransaction(
  opts: ResolvedInboxWorkerOptions,
  sql: InboxSql,
  row: ClaimedRow,
  tx: PostgresTransaction,
): Promise<RowResult> {
  const q = explainMissingSchema(tx, opts.inbox.schema);
  if ((await q.query(sql.lockRow, [row.id, row.token])).rows.length === 0) return { outcome: 'lost' };
  if (row.entry.jobId !== '') {
    const lock = await q.query<{ free: boolean }>(sql.jobLock, [jobLockName(opts.inbox.schema, row.entry.jobId)]);
    if (lock.rows[0]?.free !== true) return later(opts, q, sql, row);
  }
  const result = await opts.receiver.processQueued(row.entry, opts.stores.within(tx));
  if (result === 'in_flight') return later(opts, q, sql, row);
  await q.query(sql.done, [opts.clock(), row.id]);
  return { outcome: result };
}

async function later(
  opts: ResolvedInboxWorkerOptions,
  q: PostgresQueryable,
  sql: InboxSql,
  row: ClaimedRow,
): Promise<RowResult> {
  await q.query(sql.later, [opts.clock(), row.id, opts.retryShortlyMs]);
  return { outcome: 'busy', dueInMs: opts.retryShortlyMs };
}

async function recordFailure(
  opts: ResolvedInboxWorkerOptions,
  sql: InboxSql,
  row: ClaimedRow,
  error: unknown,
): Promise<RowResult> {
  const failures = row.attempts + 1;
  const permanent = isWebhookError(error) && !error.retryable;
  const dead = permanent || failures >= opts.maxAttempts;
  const retryAfterMs = isWebhookError(error) ? error.details.retryAfterMs : undefined;
  const delayMs = dead ? 0 : retryDelayMs(failures, opts.backoff, opts.random, retryAfterMs);
  const text = describeFailure(error);
  const fields = { eventId: row.entry.eventId, jobId: row.entry.jobId, attempt: failures, error: text };
  try {
    const params = [opts.clock(), row.id, row.token, dead ? 'dead' : 'pending', text, delayMs];
    if ((await opts.driver.query(sql.fail, params)).rows.length === 0) return { outcome: 'lost' };
  } catch (recordError) {
    opts.logger.error?.(
      `inbox event ${row.entry.eventId} failed and the failure could not be recorded; another attempt follows when its lease expires`,
      { ...fields, cause: describeFailure(recordError) },
    );
    return { outcome: 'unrecorded' };
  }
  if (dead) {
    opts.logger.error?.(
      `inbox event ${row.entry.eventId} is dead after ${failures} attempt(s)${permanent ? ' (not retryable)' : ''}; replay it with inbox.replay() or "ai-stats-webhooks inbox replay"`,
      fields,
    );
    return { outcome: 'dead' };
  }
  opts.logger.warn?.(
    `inbox event ${row.entry.eventId} failed (attempt ${failures} of ${opts.maxAttempts}); next attempt in ${Math.round(delayMs / 1000)} s`,
    { ...fields, delayMs },
  );
  return { outcome: 'retry', dueInMs: delayMs };
}
