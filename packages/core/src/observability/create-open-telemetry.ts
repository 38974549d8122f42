import { invalidOption } from '../errors/invalid-option';
import type { OpenTelemetryApi, OtelAttributes, OtelMeter, OtelSpanOptions, OtelTracer } from './open-telemetry-api';
import { OpenTelemetryTrace } from './open-telemetry-trace';
import { NOOP_DELIVERY_TRACE, type Telemetry } from './telemetry';
import type { TelemetryInstruments, TraceShared } from './trace-shared';
import { TELEMETRY_NAMES } from './telemetry-names';

/** Options of {@link createOpenTelemetry}. */
export interface OpenTelemetryOptions {
  /** Default `api.trace.getTracer('@ai-stats-webhooks/core')` (the global tracer provider, even one registered later). */
  readonly tracer?: OtelTracer;
  /**
   * Default `api.metrics.getMeter('@ai-stats-webhooks/core')`, taken again whenever the global
   * meter provider changes (so an SDK started after the receiver is created is still used).
   */
  readonly meter?: OtelMeter;
  /** Monotonic milliseconds, for the duration histogram. Default `performance.now()`. */
  readonly clock?: () => number;
  /** Bucket boundaries of the duration histogram, in seconds. */
  readonly durationBuckets?: readonly number[];
}

/** Defaults of {@link createOpenTelemetry}. */
export const OPEN_TELEMETRY_DEFAULTS = Object.freeze({
  /** From 1 ms (a delivery takes tens of microseconds without I/O) to the 30 s body timeout. */
  durationBuckets: Object.freeze([0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]),
});

/**
 * Telemetry for a receiver through the OpenTelemetry API (`@opentelemetry/api` 1.9 or later, an
 * optional peer dependency: pass the module in). Per delivery: a span `ai_stats.webhook.delivery`
 * (kind SERVER, child of the active context) with one child span per stage (`accept`, `verify`,
 * `parse`, `claim`, `settle`, one `dispatch` per handler, `commit`) and a CLIENT span per Video
 * API call under `settle`; the counters `ai_stats.webhook.deliveries{outcome,type}` and
 * `ai_stats.reconciliations{resolution}` and the histogram `ai_stats.webhook.delivery.duration`
 * (seconds). Names are in {@link TELEMETRY_NAMES}. Attributes hold ids, types, counts and codes,
 * never a secret, a header value or a body. With the API but no SDK (or an unsampled delivery)
 * only the root span is started, a non-recording one.
 *
 * @example
 * ```ts
 * import * as api from '@opentelemetry/api';
 * const receiver = createReceiver({ secret, telemetry: createOpenTelemetry(api) });
 * // or with providers of your own: createOpenTelemetry(api, { tracer: provider.getTracer('webhooks'), meter })
 * ```
 */
export function createOpenTelemetry(api: OpenTelemetryApi, options: OpenTelemetryOptions = {}): Telemetry {
  checkApi(api);
  const tracer = options.tracer ?? api.trace.getTracer(TELEMETRY_NAMES.scope);
  const buckets = [...(options.durationBuckets ?? OPEN_TELEMETRY_DEFAULTS.durationBuckets)];
  const shared: TraceShared = {
    api,
    tracer,
    clock: options.clock ?? (() => performance.now()),
    internal: { kind: api.SpanKind.INTERNAL },
    instruments: meterInstruments(api, options.meter, buckets),
    deliveryAttributes: pairCache('outcome', 'type'),
    resolutionAttributes: singleCache('resolution'),
  };
  const server: OtelSpanOptions = { kind: api.SpanKind.SERVER };
  const consumer: OtelSpanOptions = { kind: api.SpanKind.CONSUMER };
  return {
    startDelivery() {
      try {
        const active = api.context.active();
        return new OpenTelemetryTrace(
          shared,
          tracer.startSpan(TELEMETRY_NAMES.spans.delivery, server, active),
          active,
          true,
        );
      } catch {
        return NOOP_DELIVERY_TRACE;
      }
    },
    startProcessing(event) {
      try {
        const active = api.context.active();
        const root = tracer.startSpan(TELEMETRY_NAMES.spans.process, consumer, active);
        const trace = new OpenTelemetryTrace(shared, root, active, false);
        trace.event(event);
        return trace;
      } catch {
        return NOOP_DELIVERY_TRACE;
      }
    },
  };
}

function checkApi(api: OpenTelemetryApi): void {
  const ok =
    typeof api?.trace?.getTracer === 'function' &&
    typeof api.trace.setSpan === 'function' &&
    typeof api.context?.active === 'function' &&
    typeof api.metrics?.getMeter === 'function' &&
    typeof api.metrics.getMeterProvider === 'function' &&
    typeof api.SpanKind?.SERVER === 'number' &&
    typeof api.SpanStatusCode?.ERROR === 'number';
  if (!ok) {
    throw invalidOption(
      'api',
      "the @opentelemetry/api module (import * as api from '@opentelemetry/api'; 1.9 or later)",
      api === null || typeof api !== 'object' ? String(api) : 'an object without trace, context, metrics and SpanKind',
    );
  }
}

// The instruments of the given meter, or of the global provider's meter, made again when the
// global provider changes (the metrics API has no proxy: a meter taken before the SDK registered
// its provider would stay a no-op).
function meterInstruments(
  api: OpenTelemetryApi,
  meter: OtelMeter | undefined,
  buckets: number[],
): () => TelemetryInstruments {
  if (meter !== undefined) {
    const fixed = createInstruments(meter, buckets);
    return () => fixed;
  }
  let provider: unknown;
  let current: TelemetryInstruments | undefined;
  return () => {
    const now = api.metrics.getMeterProvider();
    if (current === undefined || now !== provider) {
      provider = now;
      current = createInstruments(api.metrics.getMeter(TELEMETRY_NAMES.scope), buckets);
    }
    return current;
  };
}

function createInstruments(meter: OtelMeter, buckets: number[]): TelemetryInstruments {
  const { metrics } = TELEMETRY_NAMES;
  return {
    deliveries: meter.createCounter(metrics.deliveries, {
      description: 'Webhook deliveries answered, by outcome and event type.',
      unit: '{delivery}',
    }),
    duration: meter.createHistogram(metrics.deliveryDuration, {
      description: 'Time from the start of handle() to its answer.',
      unit: 's',
      advice: { explicitBucketBoundaries: buckets },
    }),
    reconciliations: meter.createCounter(metrics.reconciliations, {
      description:
        'Deliveries that disagreed with the local job state or were checked against the Video API, by resolution.',
      unit: '{reconciliation}',
    }),
  };
}

// Attribute objects are made once per value and reused: a delivery allocates none. The values are
// closed sets (outcomes, schema-checked event types, resolutions), so the caches stay small.
function pairCache(first: string, second: string): (a: string, b: string) => OtelAttributes {
  const cache = new Map<string, Map<string, OtelAttributes>>();
  return (a, b) => {
    let inner = cache.get(a);
    if (inner === undefined) cache.set(a, (inner = new Map()));
    let attributes = inner.get(b);
    if (attributes === undefined) inner.set(b, (attributes = Object.freeze({ [first]: a, [second]: b })));
    return attributes;
  };
}

function singleCache(key: string): (value: string) => OtelAttributes {
  const cache = new Map<string, OtelAttributes>();
  return (value) => {
    let attributes = cache.get(value);
    if (attributes === undefined) cache.set(value, (attributes = Object.freeze({ [key]: value })));
    return attributes;
  };
}
