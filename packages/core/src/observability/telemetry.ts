import type { DeliveryReport } from '../receiver/receiver-options';
import type { SettledEvent } from '../stages/settle';
import type { JobKind, WebhookEvent } from '../wire/schemas';

/** The pipeline stages that get a span of their own, in the order they run. */
export type TelemetryStage = 'accept' | 'verify' | 'parse' | 'enqueue' | 'claim' | 'settle' | 'dispatch' | 'commit';

/**
 * What the pipeline tells its telemetry about one delivery (`handle()`) or one queued entry
 * (`processQueued()`), as it runs. Stages follow one another: starting a stage ends the one
 * before it. Implementations never throw (a delivery never fails because of its telemetry).
 *
 * @example
 * ```ts
 * trace?.stage('verify');
 * const verified = await verifyDelivery(headers, body, secrets, tolerance, now, crypto);
 * trace?.stage('parse');
 * ```
 */
export interface DeliveryTrace {
  /** Ends the running stage's span and starts the span of `stage`. */
  stage(stage: TelemetryStage): void;
  /** Ends the running stage's span and starts one for the handler at `index` (dispatch runs them in order). */
  handler(index: number, name: string): void;
  /** Ends the running stage's span without starting another. */
  endStage(): void;
  /** The event is verified and parsed: its ids go on the delivery span. */
  event(event: WebhookEvent): void;
  /** What settle decided: reconciled, conflict reason and resolution; counts a reconciliation. */
  settled(settled: SettledEvent): void;
  /** A Video API call starts (a client span under the running stage)… */
  apiCall(kind: JobKind, jobId: string): void;
  /** …and ends, with the error that ended it when it failed. */
  apiCallEnd(error?: unknown): void;
  /** The failure that ends the delivery: marks the running stage's span. */
  fail(error: unknown): void;
  /** The delivery is answered (`status`) or the queued entry is done: ends every span, records the metrics. */
  end(outcome: DeliveryReport['outcome'], status?: number): void;
}

/**
 * Telemetry for a receiver (the `telemetry` option): made by {@link createOpenTelemetry}. Without
 * it the receiver calls nothing and allocates nothing for telemetry.
 *
 * @example
 * ```ts
 * import * as api from '@opentelemetry/api';
 * const receiver = createReceiver({ secret, telemetry: createOpenTelemetry(api) });
 * ```
 */
export interface Telemetry {
  /** One `handle()` call: the delivery span (kind SERVER) and, when it ends, the delivery metrics. */
  startDelivery(): DeliveryTrace;
  /** One `processQueued()` call in inbox mode: a span of kind CONSUMER; no delivery metrics. */
  startProcessing(event: WebhookEvent): DeliveryTrace;
}

/**
 * A trace that records nothing: what a telemetry hands out when it could not start a span.
 *
 * @example
 * ```ts
 * return NOOP_DELIVERY_TRACE;
 * ```
 */
export const NOOP_DELIVERY_TRACE: DeliveryTrace = Object.freeze({
  stage: () => undefined,
  handler: () => undefined,
  endStage: () => undefined,
  event: () => undefined,
  settled: () => undefined,
  apiCall: () => undefined,
  apiCallEnd: () => undefined,
  fail: () => undefined,
  end: () => undefined,
});
