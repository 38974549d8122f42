import { explainMissingSchema } from '../schema/explain-missing-schema';
import { toClaimedRow, type ClaimedRow, type ClaimSqlRow } from './inbox-row';
import type { InboxSql } from './inbox-sql';
import type { ResolvedInboxWorkerOptions } from './inbox-worker-options';
import type { WakeSignal } from './inbox-wake';
import { processInboxRow, type InboxRowOutcome, type RowResult } from './process-inbox-row';

/** What a worker did, per outcome (see `InboxRowOutcome`), since it was created. */
export type InboxWorkerCounts = Record<InboxRowOutcome, number>;

/** The claim-and-run machinery shared by a worker's loop and `drain()`. */
export interface InboxPump {
  /** Events being processed now. */
  readonly inFlight: number;
  readonly counts: Readonly<InboxWorkerCounts>;
  /** When (Date.now()) an event was last put back as busy. */
  readonly lastBusyAt: number;
  /** Claims rows for the free slots and starts each; resolves how many it claimed. */
  fill(): Promise<number>;
  /** Resolves when every event started so far has finished. */
  settled(): Promise<void>;
  /** The claims of the events in flight, for `release` when a stop times out. */
  tokens(): string[];
}

/** Text recorded for a row taken over after its worker's lease expired. */
const LEASE_EXPIRED =
  'lease expired: the worker that claimed this event stopped (a crash, a kill, a lost connection) before finishing it';

/**
 * Claims due rows (one statement, `FOR UPDATE SKIP LOCKED`, as many as there are free slots) and
 * runs each in its own transaction with `processInboxRow`, waking `signal` whenever one ends.
 *
 * @example
 * ```ts
 * const pump = createInboxPump(opts, sql, signal);
 * while ((await pump.fill()) > 0) await signal.wait(1_000);
 * ```
 */
export function createInboxPump(opts: ResolvedInboxWorkerOptions, sql: InboxSql, signal: WakeSignal): InboxPump {
  const running = new Map<Promise<void>, ClaimedRow>();
  const counts: InboxWorkerCounts = { processed: 0, duplicate: 0, retry: 0, dead: 0, busy: 0, lost: 0, unrecorded: 0 };
  const db = explainMissingSchema(opts.driver, opts.inbox.schema);
  let lastBusyAt = Number.NEGATIVE_INFINITY;

  const finish = ({ outcome, dueInMs }: RowResult) => {
    counts[outcome]++;
    if (outcome === 'busy') lastBusyAt = Date.now();
    // Due again before the next poll: wake up for it.
    if (dueInMs !== undefined && dueInMs < opts.pollIntervalMs) signal.wakeIn(dueInMs);
  };
  const start = (row: ClaimedRow) => {
    const run: Promise<void> = processInboxRow(opts, sql, row)
      .then(finish, (error: unknown) => {
        opts.logger.error?.('inbox worker: unexpected failure', { eventId: row.entry.eventId, cause: String(error) });
      })
      .finally(() => {
        running.delete(run);
        signal.wake();
      });
    running.set(run, row);
  };

  return {
    get inFlight() {
      return running.size;
    },
    counts,
    get lastBusyAt() {
      return lastBusyAt;
    },
    async fill() {
      const free = opts.concurrency - running.size;
      if (free <= 0) return 0;
      const token = globalThis.crypto.randomUUID();
      const params = [opts.clock(), free, Math.max(32, free * 8), opts.leaseMs, token, opts.maxAttempts, LEASE_EXPIRED];
      const { rows } = await db.query<ClaimSqlRow>(sql.claim, params);
      for (const row of rows.map((r) => toClaimedRow(r, token))) {
        if (row.status === 'processing') start(row);
        else deadOnTakeOver(opts, row, counts);
      }
      return rows.length;
    },
    settled: async () => void (await Promise.all([...running.keys()])),
    tokens: () => [...new Set([...running.values()].map((row) => row.token))],
  };
}

function deadOnTakeOver(opts: ResolvedInboxWorkerOptions, row: ClaimedRow, counts: InboxWorkerCounts): void {
  counts.dead++;
  opts.logger.error?.(
    `inbox event ${row.entry.eventId} is dead: its worker stopped during its last allowed attempt (${row.attempts})`,
    { eventId: row.entry.eventId, jobId: row.entry.jobId, attempt: row.attempts, error: LEASE_EXPIRED },
  );
}
