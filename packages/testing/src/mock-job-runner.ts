import type { MockInternalStatus } from './job-lifecycle';
import type { MockGateway } from './mock-gateway';
import type { MockJob } from './mock-job';
import {
  readBatchInput,
  readVideoInput,
  type MockBatchInput,
  type MockVideoInput,
  type MockWebhookInput,
} from './mock-job-input';
import { progressBucket } from './progress-bucket';
import { ulid } from './seeded-random';
import { DEFAULT_UPSTREAM_ERRORS } from './upstream-error';
import { sendEvent, type SenderContext } from './webhook-sender';

/** A mock job with what the gateway alone needs: its status history and the buckets it sent. */
export type GatewayJob = MockJob & { history: MockInternalStatus[]; buckets: Set<number> };

/** What {@link createMockJobRunner} needs, resolved from the gateway options. */
export interface MockJobRunnerOptions {
  readonly sender: SenderContext;
  readonly queuedMs: number;
  readonly stepMs: number;
  readonly readings: readonly number[];
  readonly webhookUrl: string | undefined;
  readonly events: readonly string[];
  readonly failKeyword: string;
}

/** The jobs of a mock gateway and the two ways to create one. */
export interface MockJobRunner {
  readonly jobs: Map<string, GatewayJob>;
  readonly createVideo: MockGateway['createVideo'];
  readonly createBatch: MockGateway['createBatch'];
}

interface Runner extends MockJobRunnerOptions {
  readonly jobs: Map<string, GatewayJob>;
  /** Runs `run` after `gatewayMs` of gateway time. */
  readonly at: (gatewayMs: number, run: () => void) => void;
}

/**
 * Creates jobs and runs their lifecycle on the gateway clock, sending each event through the
 * signed sender: a video goes queued → in progress → readings → completed (or failed at the
 * middle reading); a batch goes created → in progress → completed, failed or expired.
 *
 * @example
 * ```ts
 * const runner = createMockJobRunner({ sender, queuedMs: 10_000, stepMs: 10_000, readings: [52], webhookUrl, events, failKeyword: 'fail' });
 * runner.createVideo({ model: 'mock/video', prompt: 'a paper boat' });
 * ```
 */
export function createMockJobRunner(options: MockJobRunnerOptions): MockJobRunner {
  const runner: Runner = {
    ...options,
    jobs: new Map(),
    at: (gatewayMs, run) => options.sender.later(gatewayMs / options.sender.timeScale, run),
  };
  return {
    jobs: runner.jobs,
    // Checked at the call: a bad value found later, in a timer, would end the whole process.
    createVideo: (body) => createVideo(runner, readVideoInput(body)),
    createBatch: (batch) => createBatch(runner, readBatchInput(batch)),
  };
}

// A new job, queued and registered; the create functions schedule its lifecycle.
function addJob(
  r: Runner,
  job: Pick<MockJob, 'id' | 'kind' | 'model' | 'prompt' | 'willFail'>,
  webhook: MockWebhookInput | undefined,
): GatewayJob {
  const created: GatewayJob = {
    ...job,
    status: 'queued',
    progress: 0,
    createdAt: Date.now(),
    startedAt: null,
    completedAt: null,
    error: null,
    webhook: { url: webhook?.url ?? r.webhookUrl ?? null, events: webhook?.events ?? [...r.events] },
    records: [],
    history: ['queued'],
    buckets: new Set<number>(),
  };
  r.jobs.set(created.id, created);
  return created;
}

function setVideoStatus(r: Runner, job: GatewayJob, status: MockInternalStatus): void {
  const previous = job.status;
  job.status = status;
  job.history.push(status);
  if (status === 'in_progress') job.startedAt = Date.now();
  if (status === 'completed' || status === 'failed') job.completedAt = Date.now();
  sendEvent(r.sender, job, 'video.status_changed', `video.status_changed:${previous}:${status}`, {
    statusChange: { previous_status: previous, status },
  });
  if (status === 'completed' || status === 'failed') sendEvent(r.sender, job, `video.${status}`, `video.${status}`);
}

/** One lifecycle step: run it this long (gateway ms) after the step before it. */
type Step = readonly [afterMs: number, run: () => void];

// Each step is scheduled from the one before it, never all at creation: when the event loop stalls
// past several steps, Node may run overdue timers out of order, and a job would skip a step.
function runSteps(r: Runner, steps: readonly Step[], index = 0): void {
  const step = steps[index];
  if (!step) return;
  r.at(step[0], () => {
    step[1]();
    runSteps(r, steps, index + 1);
  });
}

function createVideo(r: Runner, body: MockVideoInput): MockJob {
  const willFail = body.fail || body.prompt.toLowerCase().includes(r.failKeyword.toLowerCase());
  const id = `G-${ulid(Date.now(), r.sender.random)}`;
  const job = addJob(r, { id, kind: 'video', model: body.model, prompt: body.prompt, willFail }, body.webhook);
  sendEvent(r.sender, job, 'video.created', 'video.created');
  runSteps(r, [
    [r.queuedMs, () => setVideoStatus(r, job, 'in_progress')],
    ...r.readings.map((reading, i): Step => [r.stepMs, () => readVideo(r, job, reading, i)]),
    [
      r.stepMs,
      () => {
        if (job.status !== 'in_progress') return;
        job.progress = 100;
        setVideoStatus(r, job, 'completed');
      },
    ],
  ]);
  return job;
}

// One provider reading: a failing job fails at the middle one; otherwise each new bucket is sent.
function readVideo(r: Runner, job: GatewayJob, reading: number, index: number): void {
  if (job.status !== 'in_progress') return;
  if (job.willFail && index === Math.floor(r.readings.length / 2)) {
    const { code, message } = DEFAULT_UPSTREAM_ERRORS.video;
    job.error = { code, message };
    setVideoStatus(r, job, 'failed');
    return;
  }
  job.progress = reading;
  const bucket = progressBucket(reading);
  // Each bucket is delivered at most once per job (spec §4).
  if (bucket !== undefined && !job.buckets.has(bucket)) {
    job.buckets.add(bucket);
    sendEvent(r.sender, job, 'video.progress', `video.progress:${bucket}`, { bucket });
  }
}

function createBatch(r: Runner, batch: MockBatchInput): MockJob {
  const id = `batch_${ulid(Date.now(), r.sender.random)}`;
  const model = batch.model;
  const willFail = batch.outcome === 'failed' || batch.outcome === 'expired';
  const job = addJob(r, { id, kind: 'batch', model, prompt: '', willFail }, batch.webhook);
  sendEvent(r.sender, job, 'batch.created', 'batch.created');
  const start = () => {
    job.status = 'in_progress';
    job.history.push('in_progress');
    job.startedAt = Date.now();
  };
  const finish = () => finishBatch(r, job, batch.outcome);
  runSteps(r, [
    [r.queuedMs, start],
    [(r.readings.length + 1) * r.stepMs, finish],
  ]);
  return job;
}

// An expired batch is sent as `batch.failed`, as the sender does (spec §5).
function finishBatch(r: Runner, job: GatewayJob, final: 'completed' | 'failed' | 'expired'): void {
  if (final === 'failed') {
    const { code, message } = DEFAULT_UPSTREAM_ERRORS.batch;
    job.error = { code, message };
  }
  job.status = final;
  job.history.push(final);
  job.progress = final === 'completed' ? 100 : job.progress;
  job.completedAt = Date.now();
  const type = final === 'completed' ? 'batch.completed' : 'batch.failed';
  sendEvent(r.sender, job, type, type);
}
