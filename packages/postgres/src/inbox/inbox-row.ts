import type { HeaderPrefix, InboxEntry } from '@ai-stats-webhooks/core';

/** Where an inbox row is: waiting (`pending`, also between retries), being processed, finished, or dead-lettered. */
export type InboxStatus = 'pending' | 'processing' | 'done' | 'dead';

/** One inbox row as `inbox.list()` gives it (without the body). */
export interface InboxRecord {
  readonly id: number;
  readonly eventId: string;
  readonly type: string | null;
  readonly jobId: string | null;
  readonly status: InboxStatus;
  /** Failed attempts so far (reset by a replay). */
  readonly attempts: number;
  /** The sender's attempt number of the delivery that was stored. */
  readonly deliveryAttempt: number;
  /** When a pending row is due; for other statuses, when it last was. */
  readonly nextAttemptAt: Date;
  /** Until when a worker holds a row in `processing`. */
  readonly leaseUntil: Date | null;
  /** The last failure, credentials redacted. */
  readonly lastError: string | null;
  readonly receivedAt: Date;
  readonly updatedAt: Date;
  readonly processedAt: Date | null;
}

/** A row a worker claimed: its entry, the claim's token, and the attempts before this one. */
export interface ClaimedRow {
  readonly id: number;
  readonly token: string;
  /** `processing` (this worker's now) or `dead` (a dead worker's row that ran out of attempts). */
  readonly status: InboxStatus;
  readonly attempts: number;
  readonly entry: InboxEntry;
}

/** A row of the claim statement, as a driver returns it. */
export interface ClaimSqlRow {
  readonly id: number | string;
  readonly event_id: string;
  readonly dedupe_key: string;
  readonly type: string | null;
  readonly job_id: string | null;
  readonly delivery_attempt: number;
  readonly prefix: string;
  readonly legacy: boolean;
  readonly body: string;
  readonly received_at: Date | string;
  readonly status: InboxStatus;
  readonly attempts: number;
}

/** A row of the list statement, as a driver returns it. */
export interface RecordSqlRow {
  readonly id: number | string;
  readonly event_id: string;
  readonly type: string | null;
  readonly job_id: string | null;
  readonly status: InboxStatus;
  readonly attempts: number;
  readonly delivery_attempt: number;
  readonly next_attempt_at: Date | string;
  readonly lease_until: Date | string | null;
  readonly last_error: string | null;
  readonly received_at: Date | string;
  readonly updated_at: Date | string;
  readonly processed_at: Date | string | null;
}

// A Date from pg, or from PGlite (which may live in another realm, where instanceof fails).
const date = (value: Date | string): Date => new Date(value);
const maybeDate = (value: Date | string | null): Date | null => (value === null ? null : new Date(value));

/**
 * A claimed row as the worker uses it: the `InboxEntry` that `receiver.processQueued` takes.
 *
 * @example
 * ```ts
 * const claimed = rows.map((row) => toClaimedRow(row, token));
 * ```
 */
export function toClaimedRow(row: ClaimSqlRow, token: string): ClaimedRow {
  return {
    id: Number(row.id),
    token,
    status: row.status,
    attempts: Number(row.attempts),
    entry: {
      eventId: row.event_id,
      dedupeKey: row.dedupe_key,
      type: row.type ?? '',
      jobId: row.job_id ?? '',
      attempt: Number(row.delivery_attempt),
      prefix: row.prefix as HeaderPrefix,
      legacy: row.legacy === true,
      body: row.body,
      receivedAt: date(row.received_at),
    },
  };
}

/**
 * A row of `list()` as an {@link InboxRecord}.
 *
 * @example
 * ```ts
 * const records = rows.map(toInboxRecord);
 * ```
 */
export function toInboxRecord(row: RecordSqlRow): InboxRecord {
  return {
    id: Number(row.id),
    eventId: row.event_id,
    type: row.type,
    jobId: row.job_id,
    status: row.status,
    attempts: Number(row.attempts),
    deliveryAttempt: Number(row.delivery_attempt),
    nextAttemptAt: date(row.next_attempt_at),
    leaseUntil: maybeDate(row.lease_until),
    lastError: row.last_error,
    receivedAt: date(row.received_at),
    updatedAt: date(row.updated_at),
    processedAt: maybeDate(row.processed_at),
  };
}
