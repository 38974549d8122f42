import type { OtelAttributes, OtelSpanOptions, OpenTelemetryApi, OtelTracer } from './open-telemetry-api';

/** The metric instruments of one telemetry. */
export interface TelemetryInstruments {
  deliveries: { add(value: number, attributes: OtelAttributes): void };
  duration: { record(value: number, attributes: OtelAttributes): void };
  reconciliations: { add(value: number, attributes: OtelAttributes): void };
}

/**
 * What every trace of one {@link createOpenTelemetry} shares, built once: the API, the tracer, the
 * clock, the instruments and the attribute objects that measurements reuse.
 *
 * @example
 * ```ts
 * const trace = new OpenTelemetryTrace(shared, root, api.context.active(), true);
 * ```
 */
export interface TraceShared {
  readonly api: OpenTelemetryApi;
  readonly tracer: OtelTracer;
  /** Milliseconds, monotonic. */
  readonly clock: () => number;
  readonly internal: OtelSpanOptions;
  /** The instruments of the current meter (they follow the global meter provider). */
  instruments(): TelemetryInstruments;
  /** The same frozen attributes object for the same pair, so a delivery allocates none. */
  deliveryAttributes(outcome: string, type: string): OtelAttributes;
  resolutionAttributes(resolution: string): OtelAttributes;
}
