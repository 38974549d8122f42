// The slice of `@opentelemetry/api` (1.9 and later 1.x) that the kit uses, as structural types:
// the package is an optional peer dependency, so core never imports it; the user passes it in
// (`createOpenTelemetry(api)`) and these shapes accept it as it is.

/** A span attribute value the kit sets: strings, numbers and booleans only. */
export type OtelAttributeValue = string | number | boolean;

/** Attributes of a span or a measurement. */
export type OtelAttributes = Readonly<Record<string, OtelAttributeValue>>;

/** An OpenTelemetry context (opaque to the kit: it only hands it back to the API). */
export interface OtelContext {
  getValue(key: symbol): unknown;
}

/** The span methods the kit calls. */
export interface OtelSpan {
  setAttribute(key: string, value: OtelAttributeValue): unknown;
  setAttributes(attributes: OtelAttributes): unknown;
  setStatus(status: { code: number; message?: string }): unknown;
  recordException(exception: { code: string; name: string; message: string }): void;
  isRecording(): boolean;
  end(): void;
}

/** Options of {@link OtelTracer.startSpan} the kit sets. */
export interface OtelSpanOptions {
  kind?: number;
  attributes?: OtelAttributes;
}

/** A tracer: `trace.getTracer(name)` or a provider's `getTracer(name)`. */
export interface OtelTracer {
  startSpan(name: string, options?: OtelSpanOptions, context?: OtelContext): OtelSpan;
}

/** Options of a metric instrument. */
export interface OtelMetricOptions {
  description?: string;
  unit?: string;
  advice?: { explicitBucketBoundaries?: number[] };
}

/** A counter instrument. */
export interface OtelCounter {
  add(value: number, attributes?: OtelAttributes): void;
}

/** A histogram instrument. */
export interface OtelHistogram {
  record(value: number, attributes?: OtelAttributes): void;
}

/** A meter: `metrics.getMeter(name)` or a provider's `getMeter(name)`. */
export interface OtelMeter {
  createCounter(name: string, options?: OtelMetricOptions): OtelCounter;
  createHistogram(name: string, options?: OtelMetricOptions): OtelHistogram;
}

/**
 * What {@link createOpenTelemetry} needs from `@opentelemetry/api`: the module itself fits
 * (`import * as api from '@opentelemetry/api'`).
 *
 * @example
 * ```ts
 * import * as api from '@opentelemetry/api';
 * const otel: OpenTelemetryApi = api;
 * ```
 */
export interface OpenTelemetryApi {
  readonly trace: {
    getTracer(name: string, version?: string): OtelTracer;
    setSpan(context: OtelContext, span: OtelSpan): OtelContext;
  };
  readonly context: { active(): OtelContext };
  readonly metrics: {
    getMeter(name: string, version?: string): OtelMeter;
    getMeterProvider(): unknown;
  };
  readonly SpanKind: {
    readonly SERVER: number;
    readonly CLIENT: number;
    readonly CONSUMER: number;
    readonly INTERNAL: number;
  };
  readonly SpanStatusCode: { readonly ERROR: number };
}
