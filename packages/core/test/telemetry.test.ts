import * as api from '@opentelemetry/api';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';
import { DataPointType, MeterProvider, MetricReader, type MetricData } from '@opentelemetry/sdk-metrics';
import {
  TELEMETRY_NAMES,
  WebhookError,
  createOpenTelemetry,
  createReceiver,
  createVideosClient,
  type Inbox,
  type InboxEntry,
  type OpenTelemetryOptions,
  type ReceiverOptions,
} from '@ai-stats-webhooks/core';
import { SECRET, event, fixture, sign, type WebhookFixture } from '../../../test/helpers/deliveries';

const T = 1786528925;
const JOB = 'G-01KA7Q3M9V2X5C8B4N6D1F0H7J';
const { spans: S, attributes: A, metrics: M } = TELEMETRY_NAMES;

/** A metric reader collected on demand (no timer). */
class TestReader extends MetricReader {
  protected override onForceFlush = async (): Promise<void> => undefined;
  protected override onShutdown = async (): Promise<void> => undefined;
}

function otelSdk() {
  const exporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const reader = new TestReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  const metrics = async (): Promise<MetricData[]> => {
    const { resourceMetrics } = await reader.collect();
    return resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics);
  };
  return { exporter, tracerProvider, meterProvider, metrics };
}

/** Each clock read is 2.5 ms after the previous one: a delivery reads it twice, so it lasts 2.5 ms. */
function steppingClock() {
  let now = 0;
  return () => (now += 2.5);
}

function setup(options: Partial<ReceiverOptions> = {}, otelOptions: OpenTelemetryOptions = {}) {
  const sdk = otelSdk();
  const telemetry = createOpenTelemetry(api, {
    tracer: sdk.tracerProvider.getTracer('test'),
    meter: sdk.meterProvider.getMeter('test'),
    clock: steppingClock(),
    ...otelOptions,
  });
  const receiver = createReceiver({ secret: SECRET, now: () => T * 1000, logger: {}, telemetry, ...options });
  const sent: string[] = [];
  const send = async (f: WebhookFixture, signOptions: Parameters<typeof sign>[1] = {}) => {
    const d = sign(f, { timestamp: T, ...signOptions });
    sent.push(d.body, ...Object.values(d.headers));
    return receiver.handle({ method: 'POST', headers: d.headers, rawBody: Buffer.from(d.body) });
  };
  return { ...sdk, receiver, send, sent };
}

// The spans of one trace: its root (the last one named rootName) and its children, in the order
// they ended (the exporter's order; stages end one after the other).
function tree(spans: readonly ReadableSpan[], rootName: string = S.delivery) {
  const roots = spans.filter((s) => s.name === rootName);
  const root = roots.at(-1)!;
  const ofTrace = spans.filter((s) => s.spanContext().traceId === root.spanContext().traceId && s !== root);
  const childrenOf = (parent: ReadableSpan) =>
    ofTrace.filter((s) => s.parentSpanContext?.spanId === parent.spanContext().spanId);
  return { root, children: childrenOf(root), childrenOf, all: ofTrace };
}

function sumPoints(metrics: MetricData[], name: string) {
  const metric = metrics.find((m) => m.descriptor.name === name);
  return (metric?.dataPoints ?? []).map((p) => ({ attributes: p.attributes, value: p.value }));
}

describe('OpenTelemetry: spans', () => {
  it('a processed delivery: one SERVER span, a child per stage and one per handler', async () => {
    const s = setup();
    s.receiver.on('video.completed', function saveVideo() {});
    s.receiver.onAny(() => undefined);
    expect((await s.send(fixture('video.completed.json'))).status).toBe(200);

    const { root, children } = tree(s.exporter.getFinishedSpans());
    expect(root.kind).toBe(api.SpanKind.SERVER);
    expect(root.parentSpanContext).toBeUndefined();
    expect(root.status.code).toBe(api.SpanStatusCode.UNSET);
    expect(root.attributes).toEqual({
      [A.eventId]: `evt_video_${JOB}_video_completed`,
      [A.eventType]: 'video.completed',
      [A.jobId]: JOB,
      [A.jobKind]: 'video',
      [A.attempt]: 1,
      [A.reconciled]: false,
      [A.jobStatus]: 'completed',
      [A.outcome]: 'processed',
      [A.httpStatus]: 200,
    });
    expect(children.map((c) => c.name)).toEqual([
      S.accept,
      S.verify,
      S.parse,
      S.claim,
      S.settle,
      S.dispatch,
      S.dispatch,
      S.commit,
    ]);
    for (const child of children) {
      expect(child.kind).toBe(api.SpanKind.INTERNAL);
      expect(child.ended).toBe(true);
      expect(child.status.code).toBe(api.SpanStatusCode.UNSET);
    }
    const [first, second] = children.filter((c) => c.name === S.dispatch);
    expect(first!.attributes).toEqual({ [A.handlerIndex]: 0, [A.handlerName]: 'saveVideo' });
    expect(second!.attributes).toEqual({ [A.handlerIndex]: 1 });
    expect(children.find((c) => c.name === S.settle)!.attributes).toEqual({
      [A.reconciled]: false,
      [A.jobStatus]: 'completed',
    });
  });

  it('a duplicate: the claim answers and nothing after it runs', async () => {
    const { exporter, send } = setup();
    await send(fixture('video.completed.json'));
    expect((await send(event('video.completed.json', { attempt: 2 }))).status).toBe(200);
    const { root, children } = tree(exporter.getFinishedSpans());
    expect(root.attributes).toMatchObject({ [A.outcome]: 'duplicate', [A.httpStatus]: 200, [A.attempt]: 2 });
    expect(root.attributes[A.errorType]).toBeUndefined();
    expect(children.map((c) => c.name)).toEqual([S.accept, S.verify, S.parse, S.claim]);
  });

  it('a rejected delivery (401): the verify span fails; the delivery span carries the code, not an error status', async () => {
    const { exporter, send } = setup();
    const response = await send(fixture('video.completed.json'), { secret: 'whsec_wrong' });
    expect(response.status).toBe(401);
    const { root, children } = tree(exporter.getFinishedSpans());
    expect(root.attributes).toEqual({
      [A.outcome]: 'rejected',
      [A.httpStatus]: 401,
      [A.errorType]: 'signature_mismatch',
    });
    expect(root.status.code).toBe(api.SpanStatusCode.UNSET);
    expect(children.map((c) => c.name)).toEqual([S.accept, S.verify]);
    const verify = children[1]!;
    expect(verify.status).toEqual({ code: api.SpanStatusCode.ERROR, message: 'signature_mismatch' });
    expect(verify.attributes).toEqual({ [A.errorType]: 'signature_mismatch' });
    expect(verify.events.map((e) => [e.name, e.attributes])).toEqual([
      ['exception', { 'exception.type': 'signature_mismatch', 'exception.message': 'signature_mismatch' }],
    ]);
  });

  it('a failing handler: its dispatch span and the delivery span are errors (500)', async () => {
    const { exporter, send, receiver } = setup();
    receiver.on('video.completed', () => {
      throw new Error('database password=hunter2 refused');
    });
    expect((await send(fixture('video.completed.json'))).status).toBe(500);
    const { root, children } = tree(exporter.getFinishedSpans());
    expect(root.status).toEqual({ code: api.SpanStatusCode.ERROR, message: 'handler_failed' });
    expect(root.attributes).toMatchObject({
      [A.outcome]: 'failed',
      [A.httpStatus]: 500,
      [A.errorType]: 'handler_failed',
    });
    expect(children.map((c) => c.name)).toEqual([S.accept, S.verify, S.parse, S.claim, S.settle, S.dispatch]);
    expect(children.at(-1)!.status.code).toBe(api.SpanStatusCode.ERROR);
    expect(JSON.stringify(exporter.getFinishedSpans().map((s) => [s.attributes, s.events, s.status]))).not.toContain(
      'hunter2',
    );
  });

  it('a 409 in flight: the claim span ends cleanly, the delivery span says in_flight', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { exporter, send, receiver } = setup();
    receiver.on('video.completed', () => gate);
    const first = send(fixture('video.completed.json'));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect((await send(fixture('video.completed.json'))).status).toBe(409);
    const { root, children } = tree(exporter.getFinishedSpans());
    expect(root.attributes).toMatchObject({
      [A.outcome]: 'in_flight',
      [A.httpStatus]: 409,
      [A.errorType]: 'in_flight',
    });
    expect(children.map((c) => [c.name, c.status.code])).toEqual([
      [S.accept, api.SpanStatusCode.UNSET],
      [S.verify, api.SpanStatusCode.UNSET],
      [S.parse, api.SpanStatusCode.UNSET],
      [S.claim, api.SpanStatusCode.UNSET],
    ]);
    release();
    expect((await first).status).toBe(200);
  });
});

describe('OpenTelemetry: reconciliation', () => {
  const apiAnswering = (status: number, body: unknown) =>
    createVideosClient({
      apiKey: 'sk_test_secret_key',
      baseUrl: 'https://api.example.test/v1',
      fetch: async () =>
        new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }),
    });

  it('a reconciled delivery: the Video API call is a CLIENT span under settle', async () => {
    const s = setup({ api: apiAnswering(200, fixture('video.get.completed.json')) });
    await s.send(fixture('video.completed.json'));
    expect((await s.send(event('video.failed.attempt2.json', { jobId: JOB }))).status).toBe(200);

    const { root, children, childrenOf } = tree(s.exporter.getFinishedSpans());
    const settle = children.find((c) => c.name === S.settle)!;
    const [call, ...others] = childrenOf(settle);
    expect(others).toEqual([]);
    expect(call!.name).toBe(S.getVideo);
    expect(call!.kind).toBe(api.SpanKind.CLIENT);
    expect(call!.attributes).toEqual({
      [A.httpMethod]: 'GET',
      [A.urlTemplate]: '/videos/{id}',
      [A.jobId]: JOB,
      [A.jobKind]: 'video',
    });
    expect(call!.status.code).toBe(api.SpanStatusCode.UNSET);
    const reconciled = {
      [A.reconciled]: true,
      [A.conflictReason]: 'terminal_mismatch',
      [A.conflictResolution]: 'reconciled',
      [A.jobStatus]: 'completed',
    };
    expect(settle.attributes).toEqual(reconciled);
    expect(root.attributes).toMatchObject({ ...reconciled, [A.outcome]: 'processed', [A.eventType]: 'video.failed' });

    const reconciliations = sumPoints(await s.metrics(), M.reconciliations);
    expect(reconciliations).toEqual([{ attributes: { resolution: 'reconciled' }, value: 1 }]);
  });

  it('an API failure: the call and settle fail, the delivery answers 503 and counts a failed reconciliation', async () => {
    const s = setup({ api: apiAnswering(503, { error: 'unavailable' }) });
    await s.send(fixture('video.completed.json'));
    expect((await s.send(event('video.failed.attempt2.json', { jobId: JOB }))).status).toBe(503);

    const { root, children, childrenOf } = tree(s.exporter.getFinishedSpans());
    const settle = children.find((c) => c.name === S.settle)!;
    expect(settle.status).toEqual({ code: api.SpanStatusCode.ERROR, message: 'reconcile_failed' });
    const [call] = childrenOf(settle);
    expect(call!.attributes).toMatchObject({ [A.errorType]: 'api_server_error', [A.httpStatus]: 503 });
    expect(call!.status.code).toBe(api.SpanStatusCode.ERROR);
    expect(root.attributes).toMatchObject({
      [A.outcome]: 'failed',
      [A.httpStatus]: 503,
      [A.errorType]: 'reconcile_failed',
    });
    expect(sumPoints(await s.metrics(), M.reconciliations)).toEqual([
      { attributes: { resolution: 'failed' }, value: 1 },
    ]);
  });
});

describe('OpenTelemetry: metrics', () => {
  it('counts deliveries by outcome and type and records their duration in seconds', async () => {
    const s = setup();
    await s.send(fixture('video.completed.json'));
    await s.send(event('video.completed.json', { attempt: 2 }));
    await s.send(fixture('video.progress.50.json'));
    await s.send(fixture('video.completed.json'), { secret: 'whsec_wrong' });
    await s.send(fixture('video.completed.json'), { secret: 'whsec_wrong' });

    const metrics = await s.metrics();
    const byAttributes = (points: { attributes: object; value: unknown }[]) =>
      Object.fromEntries(points.map((p) => [JSON.stringify(p.attributes), p.value]));
    expect(byAttributes(sumPoints(metrics, M.deliveries))).toEqual({
      '{"outcome":"processed","type":"video.completed"}': 1,
      '{"outcome":"duplicate","type":"video.completed"}': 1,
      '{"outcome":"processed","type":"video.progress"}': 1,
      '{"outcome":"rejected","type":"unknown"}': 2,
    });
    const duration = metrics.find((m) => m.descriptor.name === M.deliveryDuration)!;
    expect(duration.descriptor.unit).toBe('s');
    expect(duration.dataPointType).toBe(DataPointType.HISTOGRAM);
    const rejected = duration.dataPoints.find((p) => p.attributes.outcome === 'rejected')!;
    expect(rejected.value).toMatchObject({ count: 2, sum: 0.005, min: 0.0025, max: 0.0025 });
    expect(sumPoints(metrics, M.reconciliations)).toEqual([]);
  });

  it('follows the global providers, even ones registered after deliveries were handled', async () => {
    const sdk = otelSdk();
    const telemetry = createOpenTelemetry(api);
    const receiver = createReceiver({ secret: SECRET, now: () => T * 1000, logger: {}, telemetry });
    const send = async (f: WebhookFixture) => {
      const d = sign(f, { timestamp: T });
      return (await receiver.handle({ method: 'POST', headers: d.headers, rawBody: d.body })).status;
    };
    try {
      expect(await send(fixture('video.progress.50.json'))).toBe(200); // no SDK yet: a no-op
      api.trace.setGlobalTracerProvider(sdk.tracerProvider);
      api.metrics.setGlobalMeterProvider(sdk.meterProvider);
      expect(await send(fixture('video.completed.json'))).toBe(200);
      // No handler registered: no dispatch span.
      const { root, children } = tree(sdk.exporter.getFinishedSpans());
      expect(children.map((c) => c.name)).toEqual([S.accept, S.verify, S.parse, S.claim, S.settle, S.commit]);
      expect(root.instrumentationScope.name).toBe('@ai-stats-webhooks/core');
      expect(sumPoints(await sdk.metrics(), M.deliveries)).toEqual([
        { attributes: { outcome: 'processed', type: 'video.completed' }, value: 1 },
      ]);
    } finally {
      api.trace.disable();
      api.metrics.disable();
    }
  });
});

describe('OpenTelemetry: never a secret, a header value or a body', () => {
  it('holds only the documented attributes, whose values appear in no secret, header or body', async () => {
    const s = setup({ api: { ...stubClient(), getVideo: async () => fixture('video.get.completed.json') } });
    s.receiver.onAny(() => undefined);
    await s.send(fixture('video.completed.json'));
    await s.send(event('video.completed.json', { attempt: 2 }));
    await s.send(event('video.failed.attempt2.json', { jobId: JOB }));
    await s.send(fixture('video.progress.50.json'), { secret: 'whsec_wrong' });
    await s.send(fixture('video.progress.50.json'), { timestamp: 'not-a-time' });

    const spans = s.exporter.getFinishedSpans();
    const allowed = new Set<string>([...Object.values(A), 'exception.type', 'exception.message']);
    const values: unknown[] = [];
    for (const span of spans) {
      for (const attributes of [span.attributes, ...span.events.map((e) => e.attributes ?? {})]) {
        for (const [key, value] of Object.entries(attributes)) {
          expect(allowed).toContain(key);
          values.push(value);
        }
      }
      values.push(span.status.message);
    }
    for (const metric of await s.metrics()) {
      for (const point of metric.dataPoints as { attributes: Record<string, unknown> }[]) {
        values.push(...Object.values(point.attributes));
      }
    }
    expect(values.length).toBeGreaterThan(50);
    const text = JSON.stringify(values);
    for (const forbidden of [SECRET, 'whsec_wrong', 'sk_test', 'not-a-time', String(T)]) {
      expect(text).not.toContain(forbidden);
    }
    // Every header value and body sent: none shows up whole (ids are in the body by design, so
    // only values longer than any id, type or code are checked).
    const long = s.sent.filter((v) => v.length >= 64);
    expect(long.length).toBeGreaterThanOrEqual(10); // five bodies, five signatures
    for (const sent of long) expect(text).not.toContain(sent);
    // No value carries JSON structure or a body's free text.
    for (const value of values) if (typeof value === 'string') expect(value).toMatch(/^[\w.:/{}-]*$/);
  });
});

describe('OpenTelemetry: costs and failures', () => {
  it('works with the API alone (no SDK): nothing recorded, every delivery answered', async () => {
    const receiver = createReceiver({
      secret: SECRET,
      now: () => T * 1000,
      logger: {},
      telemetry: createOpenTelemetry(api),
    });
    const d = sign(fixture('video.completed.json'), { timestamp: T });
    expect((await receiver.handle({ method: 'POST', headers: d.headers, rawBody: d.body })).status).toBe(200);
  });

  it('a tracer or meter that throws never fails a delivery', async () => {
    const throwing = () => {
      throw new Error('exporter exploded');
    };
    const s = setup(
      {},
      {
        tracer: { startSpan: throwing },
        meter: {
          createCounter: () => ({ add: throwing }),
          createHistogram: () => ({ record: throwing }),
        },
      },
    );
    expect((await s.send(fixture('video.completed.json'))).status).toBe(200);
    expect(() => createOpenTelemetry(api, { meter: { createCounter: throwing, createHistogram: throwing } })).toThrow(
      'exporter exploded',
    );
  });

  it('a delivery span that records, under a tracer that then throws, still answers', async () => {
    const tracer = otelSdk().tracerProvider.getTracer('test');
    let started = 0;
    const flaky: OpenTelemetryOptions['tracer'] = {
      startSpan: (name, options, context) => {
        if (started++ > 0) throw new Error('exporter exploded');
        return tracer.startSpan(name, options, context as api.Context);
      },
    };
    const s = setup({}, { tracer: flaky });
    s.receiver.onAny(() => undefined);
    expect((await s.send(fixture('video.completed.json'))).status).toBe(200);
    expect(started).toBeGreaterThan(5);
  });

  it('rejects a telemetry option that is not one, naming the option', () => {
    expect(() => createReceiver({ secret: SECRET, telemetry: api as never })).toThrow(
      /Option "telemetry": expected createOpenTelemetry\(api\).*found the @opentelemetry\/api module itself/,
    );
    expect(() => createOpenTelemetry({} as never)).toThrow(/Option "api"/);
  });
});

describe('OpenTelemetry: inbox workers', () => {
  it('processQueued is a CONSUMER span with the claim, settle, dispatch and commit stages', async () => {
    const entries: InboxEntry[] = [];
    const inbox: Inbox = { enqueue: async (entry) => (entries.push(entry), { duplicate: false }) };
    const s = setup({ inbox });
    s.receiver.onAny(() => undefined);
    expect((await s.send(fixture('video.completed.json'))).status).toBe(200);
    const acknowledged = tree(s.exporter.getFinishedSpans());
    expect(acknowledged.children.map((c) => c.name)).toEqual([S.accept, S.verify, S.parse, S.enqueue]);

    expect(await s.receiver.processQueued(entries[0]!)).toBe('processed');
    const { root, children } = tree(s.exporter.getFinishedSpans(), S.process);
    expect(root.kind).toBe(api.SpanKind.CONSUMER);
    expect(root.attributes).toMatchObject({ [A.eventType]: 'video.completed', [A.outcome]: 'processed' });
    expect(children.map((c) => c.name)).toEqual([S.claim, S.settle, S.dispatch, S.commit]);

    s.receiver.onAny(() => {
      throw new WebhookError('store_unavailable', 'down');
    });
    await expect(
      s.receiver.processQueued({ ...entries[0]!, eventId: 'evt_other', dedupeKey: 'evt_other' }),
    ).rejects.toThrow();
    const failed = tree(s.exporter.getFinishedSpans(), S.process);
    expect(failed.root.attributes).toMatchObject({ [A.outcome]: 'failed', [A.errorType]: 'store_unavailable' });
    // Only handle() answers count as deliveries.
    expect(sumPoints(await s.metrics(), M.deliveries)).toEqual([
      { attributes: { outcome: 'processed', type: 'video.completed' }, value: 1 },
    ]);
  });
});

function stubClient() {
  const unused = async (): Promise<never> => {
    throw new Error('not used');
  };
  return { getVideo: unused, getBatch: unused, listVideos: unused, createVideo: unused, getContent: unused };
}
