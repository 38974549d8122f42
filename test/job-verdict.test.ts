import {
  jobVerdict,
  VERDICT_LABELS,
  type VerdictDelivery,
  type VerdictInput,
} from '../examples/express/src/job-verdict';
import type { SenderView } from '../examples/express/src/sender-view';

// The dashboard's verdict of a job (examples/express): a pure function of the job, our answers to
// its verified deliveries and the sender's own view of them.

const NOW = Date.parse('2026-01-01T12:00:00.000Z');
const at = (secondsAgo: number) => new Date(NOW - secondsAgo * 1000).toISOString();

const delivery = (
  secondsAgo: number,
  outcome: VerdictDelivery['outcome'],
  eventType = 'video.progress',
): VerdictDelivery => ({
  at: at(secondsAgo),
  event_type: eventType,
  outcome,
  status: { processed: 200, duplicate: 200, in_flight: 409, rejected: 401, failed: 500 }[outcome],
});

const sender = (changes: Partial<SenderView>): SenderView => ({
  source: 'poll',
  read_at: at(1),
  configured: true,
  total_attempts: 3,
  pending_retries: 0,
  next_retry_at: null,
  last_attempt_at: at(2),
  last_attempt_status: 'delivered',
  last_response_status: 200,
  last_error_message: null,
  ...changes,
});

const input = (changes: Partial<VerdictInput>): VerdictInput => ({
  status: 'completed',
  source: 'webhook',
  updated_at: at(30),
  deliveries: [delivery(40, 'processed', 'video.created'), delivery(30, 'processed', 'video.completed')],
  sender: null,
  now: NOW,
  ...changes,
});

const failing = { last_attempt_status: 'scheduled_retry', pending_retries: 1, next_retry_at: at(-60) };

it('is healthy when every delivery was processed', () => {
  expect(jobVerdict(input({}))).toBe('healthy');
  expect(jobVerdict(input({ sender: sender({}) }))).toBe('healthy');
});

it('is generation_failed for a failed or expired job, whatever the deliveries did', () => {
  expect(jobVerdict(input({ status: 'failed' }))).toBe('generation_failed');
  expect(jobVerdict(input({ status: 'expired', deliveries: [delivery(5, 'failed')] }))).toBe('generation_failed');
});

it('is rejected_by_us when the sender reports our 401 (a 401 body names no job we can trust)', () => {
  const view = sender({ ...failing, last_response_status: 401, last_error_message: 'HTTP 401' });
  expect(jobVerdict(input({ source: 'poll', deliveries: [], sender: view }))).toBe('rejected_by_us');
  // Also once the job is terminal: the last reading still shows the rejection.
  expect(jobVerdict(input({ deliveries: [], sender: { ...view, last_attempt_status: 'failed_permanently' } }))).toBe(
    'rejected_by_us',
  );
});

it('is rejected_by_us when our own last answer to a verified delivery was a 4xx', () => {
  expect(jobVerdict(input({ deliveries: [delivery(50, 'processed'), delivery(10, 'rejected')] }))).toBe(
    'rejected_by_us',
  );
});

it('is delivery_failing on our 5xx, and on a timeout or a transient 4xx the sender reports', () => {
  expect(jobVerdict(input({ deliveries: [delivery(20, 'processed'), delivery(10, 'failed')] }))).toBe(
    'delivery_failing',
  );
  for (const last_response_status of [null, 500, 503, 408, 409, 429]) {
    expect(jobVerdict(input({ deliveries: [], sender: sender({ ...failing, last_response_status }) }))).toBe(
      'delivery_failing',
    );
  }
});

it('ignores in_flight answers (409 while another copy is processed)', () => {
  expect(jobVerdict(input({ deliveries: [...input({}).deliveries, delivery(5, 'in_flight')] }))).toBe('healthy');
});

it("clears a failure a payload's reading reported once a later delivery of ours succeeded", () => {
  // A payload's reading is captured before the attempt that carries it.
  const view = sender({
    ...failing,
    source: 'webhook',
    read_at: at(11),
    last_response_status: 401,
    last_attempt_at: at(20),
  });
  const deliveries = [delivery(10, 'processed', 'video.completed')];
  expect(jobVerdict(input({ deliveries, sender: view }))).toBe('healthy');
  expect(jobVerdict(input({ deliveries, sender: { ...view, last_attempt_at: at(5) } }))).toBe('rejected_by_us');
});

it('clears a failure an API reading reported only with a success of ours after the reading', () => {
  const view = sender({
    ...failing,
    source: 'poll',
    read_at: at(15),
    last_response_status: 401,
    last_attempt_at: at(20),
  });
  expect(jobVerdict(input({ deliveries: [delivery(10, 'processed', 'video.completed')], sender: view }))).toBe(
    'healthy',
  );
  expect(jobVerdict(input({ deliveries: [delivery(10, 'processed')], sender: { ...view, source: 'reconcile' } }))).toBe(
    'healthy',
  );
});

it('is delivery_failing when the sender, read after our 200, reports that attempt timed out', () => {
  // We answered 200 at 10 s ago, after the sender's attempt of 11 s ago had started; the sender gave
  // up waiting (no response status) and, read by a poll 2 s ago, reports the attempt failed.
  const timedOut = sender({ ...failing, read_at: at(2), last_attempt_at: at(11), last_response_status: null });
  const deliveries = [delivery(10, 'processed', 'video.completed')];
  expect(jobVerdict(input({ deliveries, sender: timedOut }))).toBe('delivery_failing');
  expect(jobVerdict(input({ deliveries, sender: { ...timedOut, source: 'reconcile' } }))).toBe('delivery_failing');
  // The same reading from a payload cannot tell: it was captured before the attempt we answered.
  expect(jobVerdict(input({ deliveries, sender: { ...timedOut, source: 'webhook', read_at: at(10) } }))).toBe(
    'healthy',
  );
  // A success of ours after the reading (the sender's retry) clears it.
  expect(jobVerdict(input({ deliveries: [...deliveries, delivery(1, 'duplicate')], sender: timedOut }))).toBe(
    'healthy',
  );
});

it('follows the newer of our last failed answer and the failure the sender reports', () => {
  const rejectedLater = sender({ ...failing, last_response_status: 401, last_attempt_at: at(5) });
  const deliveries = [delivery(60, 'processed'), delivery(10, 'failed')];
  expect(jobVerdict(input({ deliveries, sender: rejectedLater }))).toBe('rejected_by_us');
  const rejectedEarlier = { ...rejectedLater, last_attempt_at: at(20) };
  expect(jobVerdict(input({ deliveries, sender: rejectedEarlier }))).toBe('delivery_failing');
});

it('is recovered_by_polling when the state came from a poll and its webhook never arrived', () => {
  const polled = { source: 'poll', updated_at: at(30) };
  expect(jobVerdict(input({ ...polled, deliveries: [] }))).toBe('recovered_by_polling');
  expect(jobVerdict(input({ ...polled, deliveries: [delivery(40, 'processed', 'video.created')] }))).toBe(
    'recovered_by_polling',
  );
  expect(jobVerdict(input({ source: 'reconcile', status: 'processing', deliveries: [] }))).toBe('recovered_by_polling');
});

it('is healthy when a poll merely beat the webhook, or within the grace period, or without a webhook', () => {
  expect(jobVerdict(input({ source: 'poll' }))).toBe('healthy'); // video.completed arrived too
  expect(jobVerdict(input({ source: 'poll', updated_at: at(1), deliveries: [] }))).toBe('healthy');
  expect(jobVerdict(input({ source: 'poll', updated_at: at(1), deliveries: [], graceMs: 500 }))).toBe(
    'recovered_by_polling',
  );
  const noWebhook = sender({ configured: false, total_attempts: 0, last_attempt_status: null });
  expect(jobVerdict(input({ source: 'poll', deliveries: [], sender: noWebhook }))).toBe('healthy');
});

it('has a human label for every verdict', () => {
  expect(Object.keys(VERDICT_LABELS).sort()).toEqual(
    ['delivery_failing', 'generation_failed', 'healthy', 'recovered_by_polling', 'rejected_by_us'].sort(),
  );
  for (const label of Object.values(VERDICT_LABELS)) expect(label.length).toBeGreaterThan(5);
});

it('compares times as instants, whatever ISO form the sender writes them in', () => {
  // The sender's failed attempt at 11:59:50 exactly ("…50Z"), our later 500 at 11:59:50.500.
  const sent = {
    ...failing,
    source: 'webhook' as const,
    last_response_status: 401,
    last_attempt_at: '2026-01-01T11:59:50Z',
  };
  const ours = {
    at: '2026-01-01T11:59:50.500Z',
    event_type: 'video.progress',
    outcome: 'failed' as const,
    status: 500,
  };
  expect(jobVerdict(input({ status: 'processing', deliveries: [ours], sender: sender(sent) }))).toBe(
    'delivery_failing',
  );
});
