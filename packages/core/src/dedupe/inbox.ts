import type { HeaderPrefix } from '../wire/delivery-headers';

/** A verified, parsed delivery as an inbox keeps it until a worker has processed it. */
export interface InboxEntry {
  /**
   * The event id, unique per event: where the sender's id could name two events (cut at 160
   * characters, see `dedupeKeyOf`), the dedupe key instead.
   */
  readonly eventId: string;
  /** What the event is deduplicated on (`dedupeKeyOf`; for a legacy body, the key a G2+ sender's event gets). */
  readonly dedupeKey: string;
  readonly type: string;
  readonly jobId: string;
  /** The sender's attempt number of the delivery that was stored. */
  readonly attempt: number;
  readonly prefix: HeaderPrefix;
  readonly legacy: boolean;
  /** The verified event, as JSON text. */
  readonly body: string;
  readonly receivedAt: Date;
}

/**
 * Where inbox mode acknowledges deliveries: `enqueue` resolves only once the entry is durably
 * stored (committed), so a 2xx never stands for something that could be lost; an event id that is
 * already there is a duplicate (its first copy will be, or was, processed). Workers then run the
 * rest of the pipeline with {@link Receiver.processQueued}.
 *
 * @example
 * ```ts
 * const receiver = createReceiver({ secret, stores, inbox: createPostgresInbox({ db }) });
 * ```
 */
export interface Inbox {
  enqueue(entry: InboxEntry): Promise<{ readonly duplicate: boolean }>;
}
