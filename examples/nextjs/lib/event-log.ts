/** One entry of GET /api/events: a delivery whose handler completed, once per event id. */
export interface EventRecord {
  event_id: string;
  type: string;
  job_id: string;
  attempt: number;
  received_at: string;
}

/** The processed-event log behind GET /api/events (memory, per process or isolate). */
export interface EventLog {
  append(record: EventRecord): void;
  /** Oldest first. */
  list(): EventRecord[];
}

/** Defaults of {@link createEventLog}: the last 10,000 events are kept, the oldest dropped first. */
export const EVENT_LOG_DEFAULTS = Object.freeze({ maxEntries: 10_000 });

/**
 * An in-memory event log that keeps the last `maxEntries` records (the oldest is dropped first),
 * so a long-running app does not grow without bound.
 *
 * @example
 * ```ts
 * const events = createEventLog();
 * events.append(record);
 * ```
 */
export function createEventLog(maxEntries: number = EVENT_LOG_DEFAULTS.maxEntries): EventLog {
  if (!Number.isInteger(maxEntries) || maxEntries < 1) {
    throw new RangeError(`maxEntries: expected an integer of at least 1, found ${String(maxEntries)}.`);
  }
  const records: EventRecord[] = [];
  return {
    append: (record) => {
      records.push(record);
      if (records.length > maxEntries) records.splice(0, records.length - maxEntries);
    },
    list: () => records.slice(),
  };
}
