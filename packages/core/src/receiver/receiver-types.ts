import type { InboxEntry } from '../dedupe/inbox';
import type { StoreTransaction } from '../dedupe/transactional-stores';
import type { ConflictReport, ResolvedReceiverOptions } from './receiver-options';
import type { JobState, JobTransition } from '../job/job-state-machine';
import type { BodyReader } from '../stages/accept';
import type { HeadersInput } from '../wire/delivery-headers';
import type { RawBody } from '../wire/raw-body';
import type { BatchEvent, VideoEvent, WebhookEvent, WebhookEventType } from '../wire/schemas';

/** What an adapter hands to {@link Receiver.handle}. */
export interface ReceiverRequest {
  /** Checked when given: only POST is accepted. */
  readonly method?: string | undefined;
  readonly headers: HeadersInput;
  /** The raw bytes, or a reader that stops past `maxBytes` with a `payload_too_large` error. */
  readonly rawBody: RawBody | BodyReader;
}

/** What an adapter writes back. */
export interface ReceiverResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** Short JSON, never a secret. */
  readonly body: string;
}

/** Facts about the delivery being handled. */
export interface DeliveryInfo {
  readonly eventId: string;
  readonly attempt: number;
  readonly maxAttempts: number;
  readonly key: string;
  readonly prefix: 'phaseo' | 'ai-stats';
  readonly legacy: boolean;
  readonly receivedAt: Date;
}

/**
 * What a handler receives: the event, the job state it produced, and how it got there.
 *
 * When it is applied: the job update is written (atomically, through the state machine) before
 * handlers run, so the job store and the poller see it at once. When a handler throws, the event
 * is not committed and the sender retries it; the job remembers the transition the event caused,
 * so on every attempt until the event commits handlers see the same `previous` and `changed`
 * (the event is not applied twice). With a transactional store the update is part of the
 * handler's transaction instead.
 */
export interface WebhookContext<E extends WebhookEvent = WebhookEvent> {
  readonly event: E;
  readonly job: JobState;
  readonly transition: JobTransition;
  readonly delivery: DeliveryInfo;
  /** True when the state came from the Video API for this delivery. */
  readonly reconciled: boolean;
  readonly conflict: ConflictReport | undefined;
  /**
   * With transactional `stores`: the driver's transaction client (a `pg` `PoolClient`, a PGlite
   * `Transaction`) whose writes commit with the event, or not at all. Undefined otherwise.
   */
  readonly tx: unknown;
}

/** The event type a handler for `T` receives. */
export type EventFor<T extends WebhookEventType> = T extends `video.${string}` ? VideoEvent : BatchEvent;

/** A handler; a throw (or rejection) fails the delivery with 5xx so the sender retries. */
export type WebhookHandler<E extends WebhookEvent = WebhookEvent> = (
  context: WebhookContext<E>,
) => void | Promise<void>;

/** The receiver: register handlers, then pass requests to {@link Receiver.handle}. */
export interface Receiver {
  on<T extends WebhookEventType>(type: T | readonly T[], handler: WebhookHandler<EventFor<T>>): Receiver;
  onAny(handler: WebhookHandler): Receiver;
  /** Runs the whole pipeline; never throws (nor rejects), whatever a hook or the logger does. */
  handle(request: ReceiverRequest): Promise<ReceiverResponse>;
  /**
   * Inbox workers: runs claim → settle → dispatch → commit for a stored entry, inside `scope`
   * (the worker's open transaction) when given. Resolves `processed`, `duplicate` (done before)
   * or `in_flight` (another worker holds it); rejects with the failure (a `WebhookError`:
   * `retryable`, `details.retryAfterMs`) so the worker can schedule a retry.
   */
  processQueued(entry: InboxEntry, scope?: StoreTransaction): Promise<'processed' | 'duplicate' | 'in_flight'>;
  /** The response for an error raised outside `handle` (adapters use it for body-read failures). */
  respondToError(error: unknown): ReceiverResponse;
  /** Validated options, for adapters (`maxBodyBytes`) and tools. */
  readonly options: ResolvedReceiverOptions;
}
