import type { PostgresQueryable } from '../driver/postgres-driver';

// Under constant load, one chain sends at most this many NOTIFYs in a row; the next enqueue starts another.
const MAX_CHAIN = 1_000;

/**
 * Wakes the workers after an enqueue has committed: `NOTIFY` on `channel` as a statement of its
 * own, never awaited by the acknowledgement, coalesced (while one is on its way, any number of
 * enqueues add one more after it). Not inside the insert's transaction: PostgreSQL serializes the
 * commits of transactions that sent a NOTIFY (a lock held through the commit's WAL flush), which
 * cut durable acknowledgements to a third in `test/helpers/measure-inbox.ts`; a NOTIFY alone
 * writes no WAL and commits at once. A lost notification costs a poll interval, no event.
 *
 * @example
 * ```ts
 * const notify = createInboxNotifier(db, 'ai_stats_webhooks_inbox');
 * await db.query(insert, params);
 * notify();
 * ```
 */
export function createInboxNotifier(db: PostgresQueryable, channel: string): () => void {
  let sending = false;
  let again = false;
  const send = async () => {
    sending = true;
    try {
      for (let sent = 0; sent < MAX_CHAIN; sent++) {
        again = false;
        await db.query("select pg_notify($1, '')", [channel]).catch(() => undefined);
        if (!again) break;
      }
    } finally {
      sending = false;
    }
  };
  return () => {
    if (sending) again = true;
    else void send();
  };
}
