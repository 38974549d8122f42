import { isWebhookError } from '../errors/webhook-error';
import type { DeliveryReport } from '../receiver/receiver-options';
import type { SettledEvent } from '../stages/settle';
import type { JobKind, WebhookEvent } from '../wire/schemas';
import type { OpenTelemetryApi, OtelContext, OtelSpan } from './open-telemetry-api';
import type { DeliveryTrace, TelemetryStage } from './telemetry';
import { TELEMETRY_NAMES } from './telemetry-names';
import type { TraceShared } from './trace-shared';

const { spans: SPANS, attributes: A } = TELEMETRY_NAMES;

/**
 * One delivery's spans and metrics through the OpenTelemetry API: a root span, the running stage's
 * span under it, a client span per Video API call under the stage that made it. Parents are passed
 * explicitly (no context manager needed). When the root span is not recording (no SDK, or not
 * sampled) no stage span is started; the metrics are recorded all the same. Every method swallows
 * what the API might throw: telemetry never fails a delivery.
 *
 * @example
 * ```ts
 * const trace = new OpenTelemetryTrace(shared, tracer.startSpan('ai_stats.webhook.delivery'), api.context.active(), true);
 * trace.stage('verify');
 * trace.end('processed', 200);
 * ```
 */
export class OpenTelemetryTrace implements DeliveryTrace {
  private readonly startedAt: number;
  // The context the stage spans start in; undefined when the root span is not recording.
  private readonly parent: OtelContext | undefined;
  private running: OtelSpan | undefined;
  private apiSpan: OtelSpan | undefined;
  private type: string | undefined;
  private code: string | undefined;

  constructor(
    private readonly shared: TraceShared,
    private readonly root: OtelSpan,
    active: OtelContext,
    // True for `handle()` (delivery metrics), false for `processQueued()`.
    private readonly metered: boolean,
  ) {
    this.startedAt = shared.clock();
    this.parent = root.isRecording() ? shared.api.trace.setSpan(active, root) : undefined;
  }

  stage(stage: TelemetryStage): void {
    if (this.parent === undefined) return;
    try {
      this.running?.end();
      this.running = this.shared.tracer.startSpan(SPANS[stage], this.shared.internal, this.parent);
    } catch {
      // Telemetry never fails a delivery.
    }
  }

  handler(index: number, name: string): void {
    if (this.parent === undefined) return;
    try {
      this.running?.end();
      const span = this.shared.tracer.startSpan(SPANS.dispatch, this.shared.internal, this.parent);
      span.setAttribute(A.handlerIndex, index);
      if (name !== '') span.setAttribute(A.handlerName, name);
      this.running = span;
    } catch {
      // Telemetry never fails a delivery.
    }
  }

  endStage(): void {
    const running = this.running;
    this.running = undefined;
    try {
      running?.end();
    } catch {
      // Telemetry never fails a delivery.
    }
  }

  event(event: WebhookEvent): void {
    this.type = event.type;
    if (this.parent === undefined) return;
    try {
      this.root.setAttributes({
        [A.eventId]: event.id,
        [A.eventType]: event.type,
        [A.jobId]: event.data.id,
        [A.jobKind]: event.type.startsWith('video.') ? 'video' : 'batch',
        [A.attempt]: event.delivery.attempt,
      });
    } catch {
      // Telemetry never fails a delivery.
    }
  }

  settled({ job, reconciled, conflict }: SettledEvent): void {
    try {
      const resolution = conflict?.resolution ?? (reconciled ? 'reconciled' : undefined);
      if (resolution !== undefined) {
        this.shared.instruments().reconciliations.add(1, this.shared.resolutionAttributes(resolution));
      }
      if (this.parent === undefined) return;
      const attributes: Record<string, string | boolean> = { [A.reconciled]: reconciled, [A.jobStatus]: job.status };
      if (conflict !== undefined) {
        attributes[A.conflictReason] = conflict.reason;
        attributes[A.conflictResolution] = conflict.resolution;
      }
      this.running?.setAttributes(attributes);
      this.root.setAttributes(attributes);
    } catch {
      // Telemetry never fails a delivery.
    }
  }

  apiCall(kind: JobKind, jobId: string): void {
    if (this.parent === undefined) return;
    try {
      const { api, tracer } = this.shared;
      const parent = this.running === undefined ? this.parent : api.trace.setSpan(this.parent, this.running);
      const video = kind === 'video';
      const attributes = {
        [A.httpMethod]: 'GET',
        [A.urlTemplate]: video ? '/videos/{id}' : '/batches/{id}',
        [A.jobId]: jobId,
        [A.jobKind]: kind,
      };
      this.apiSpan?.end();
      this.apiSpan = tracer.startSpan(
        video ? SPANS.getVideo : SPANS.getBatch,
        { kind: api.SpanKind.CLIENT, attributes },
        parent,
      );
    } catch {
      // Telemetry never fails a delivery.
    }
  }

  apiCallEnd(error?: unknown): void {
    const span = this.apiSpan;
    if (span === undefined) return;
    this.apiSpan = undefined;
    try {
      if (error !== undefined) {
        const apiStatus = isWebhookError(error) ? error.details.apiStatus : undefined;
        if (typeof apiStatus === 'number') span.setAttribute(A.httpStatus, apiStatus);
        markFailed(this.shared.api, span, apiErrorType(error));
      }
      span.end();
    } catch {
      // Telemetry never fails a delivery.
    }
  }

  fail(error: unknown): void {
    // The same code the answer carries (respond.ts): anything but a WebhookError is a handler failure.
    const code = isWebhookError(error) ? error.code : 'handler_failed';
    this.code = code;
    try {
      if (code === 'reconcile_failed') {
        this.shared.instruments().reconciliations.add(1, this.shared.resolutionAttributes('failed'));
      }
      const running = this.running;
      this.running = undefined;
      if (running === undefined) return;
      markFailed(this.shared.api, running, code);
      running.end();
    } catch {
      // Telemetry never fails a delivery.
    }
  }

  end(outcome: DeliveryReport['outcome'], status?: number): void {
    try {
      this.apiCallEnd();
      this.endStage();
      if (this.parent !== undefined) this.describeOutcome(outcome, status);
      this.root.end();
      if (!this.metered) return;
      const attributes = this.shared.deliveryAttributes(outcome, this.type ?? 'unknown');
      const instruments = this.shared.instruments();
      instruments.deliveries.add(1, attributes);
      instruments.duration.record((this.shared.clock() - this.startedAt) / 1000, attributes);
    } catch {
      // Telemetry never fails a delivery.
    }
  }

  private describeOutcome(outcome: DeliveryReport['outcome'], status: number | undefined): void {
    this.root.setAttribute(A.outcome, outcome);
    if (status !== undefined) this.root.setAttribute(A.httpStatus, status);
    if (this.code === undefined) return;
    this.root.setAttribute(A.errorType, this.code);
    // Like an HTTP server span: an answer the sender should retry is an error; a 4xx is the sender's.
    if (outcome === 'failed') this.root.setStatus({ code: this.shared.api.SpanStatusCode.ERROR, message: this.code });
  }
}

// A failed stage or call: its code as `error.type`, ERROR status and an exception event that
// carries the code only (error messages can quote header values; they stay in the logs).
function markFailed(api: OpenTelemetryApi, span: OtelSpan, code: string): void {
  span.setAttribute(A.errorType, code);
  span.setStatus({ code: api.SpanStatusCode.ERROR, message: code });
  span.recordException({ code, name: 'WebhookError', message: code });
}

// The kit's code, else the error class's name (a custom client may throw anything).
function apiErrorType(error: unknown): string {
  if (isWebhookError(error)) return error.code;
  return error instanceof Error ? error.name : '_OTHER';
}
