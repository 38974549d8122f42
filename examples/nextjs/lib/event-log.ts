/** One entry of GET /api/events: a delivery whose handler completed, once per event id. */
export interface EventRecord {
  event_id: string;
  type: string;
  job_id: string;
  attempt: number;
  received_at: string;
  job_status: string;
  reconciled: boolean;
  conflict: string | null;
}

/** The processed-event log behind GET /api/events. */
export interface EventLog {
  /**
   * Adds a record. `tx` is the handler's `context.tx`: the log in the database writes the record
   * in the delivery's transaction (it commits with the processed mark and the job, or not at
   * all); the memory log ignores it.
   */
  append(record: EventRecord, tx?: unknown): Promise<void>;
  /** Oldest first. */
  list(): Promise<EventRecord[]>;
}

/** Defaults of {@link createEventLog}: the last 10,000 events are kept, the oldest dropped first. */
export const EVENT_LOG_DEFAULTS = Object.freeze({ maxEntries: 10_000 });

/**
 * The event log of one process (`STORE=memory`), keeping the last `maxEntries` records (the
 * oldest is dropped first), so a long-running app does not grow without bound.
 *
 * @example
 * ```ts
 * const events = createEventLog();
 * await events.append(record);
 * ```
 */
export function createEventLog(maxEntries: number = EVENT_LOG_DEFAULTS.maxEntries): EventLog {
  if (!Number.isInteger(maxEntries) || maxEntries < 1) {
    throw new RangeError(`maxEntries: expected an integer of at least 1, found ${String(maxEntries)}.`);
  }
  const records: EventRecord[] = [];
  return {
    append: async (record) => {
      records.push(record);
      if (records.length > maxEntries) records.splice(0, records.length - maxEntries);
    },
    list: async () => records.slice(),
  };
}
