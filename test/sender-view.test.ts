import { readSenderView } from '../examples/express/src/sender-view';

// The sender's own view of a job's deliveries (examples/express), read from the `webhook` block of
// a payload's `data` or of `GET /v1/videos/{id}` (spec §6.5): every field checked, none trusted.

const READ_AT = new Date('2026-01-01T12:00:00.000Z');

const block = {
  endpoint_id: null,
  url: 'https://example.com/webhooks/ai-stats',
  events: ['job.completed'],
  has_secret: true,
  delivery: {
    total_attempts: 3,
    delivered_events: 2,
    pending_retries: 1,
    next_retry_at: '2026-01-01T12:05:00.000Z',
    last_attempt_at: '2026-01-01T11:59:00.000Z',
    last_attempt_status: 'scheduled_retry',
    last_response_status: 503,
    last_error_message: 'Webhook returned HTTP 503',
  },
  attempts: [],
};

it('reads the delivery summary, with where and when it was read', () => {
  expect(readSenderView(block, 'poll', READ_AT)).toEqual({
    source: 'poll',
    read_at: '2026-01-01T12:00:00.000Z',
    configured: true,
    total_attempts: 3,
    pending_retries: 1,
    next_retry_at: '2026-01-01T12:05:00.000Z',
    last_attempt_at: '2026-01-01T11:59:00.000Z',
    last_attempt_status: 'scheduled_retry',
    last_response_status: 503,
    last_error_message: 'Webhook returned HTTP 503',
  });
  expect(readSenderView(block, 'webhook', READ_AT)?.source).toBe('webhook');
  expect(readSenderView(block, 'reconcile', READ_AT)?.source).toBe('reconcile');
});

it('is undefined when there is no webhook block', () => {
  for (const value of [undefined, null, 'https://example.com', 42, true, [block]]) {
    expect(readSenderView(value, 'poll', READ_AT)).toBeUndefined();
  }
});

it('is configured when the job has a webhook URL or an endpoint, not otherwise (polling only)', () => {
  expect(readSenderView({ url: null, endpoint_id: 'we_123' }, 'poll', READ_AT)?.configured).toBe(true);
  expect(readSenderView({ url: 'https://example.com/hook' }, 'poll', READ_AT)?.configured).toBe(true);
  for (const unset of [{}, { url: null, endpoint_id: null }, { url: '', endpoint_id: '' }, { url: 7 }]) {
    expect(readSenderView(unset, 'poll', READ_AT)?.configured).toBe(false);
  }
});

it('reads a block without a delivery summary (no attempt yet) as all unknown', () => {
  expect(readSenderView({ url: 'https://example.com/hook', delivery: null }, 'webhook', READ_AT)).toEqual({
    source: 'webhook',
    read_at: READ_AT.toISOString(),
    configured: true,
    total_attempts: null,
    pending_retries: null,
    next_retry_at: null,
    last_attempt_at: null,
    last_attempt_status: null,
    last_response_status: null,
    last_error_message: null,
  });
});

it('turns every field of the wrong type into null instead of trusting it', () => {
  const view = readSenderView(
    {
      url: 'https://example.com/hook',
      delivery: {
        total_attempts: '3',
        pending_retries: Number.NaN,
        next_retry_at: 1767268800,
        last_attempt_at: '',
        last_attempt_status: { status: 'delivered' },
        last_response_status: Number.POSITIVE_INFINITY,
        last_error_message: ['timeout'],
      },
    },
    'poll',
    READ_AT,
  );
  expect(view).toMatchObject({
    total_attempts: null,
    pending_retries: null,
    next_retry_at: null,
    last_attempt_at: null,
    last_attempt_status: null,
    last_response_status: null,
    last_error_message: null,
  });
  // A timeout or network error: no response status, the error in words.
  const timeout = readSenderView(
    { url: 'https://example.com/hook', delivery: { last_response_status: null, last_error_message: 'TimeoutError' } },
    'poll',
    READ_AT,
  );
  expect(timeout).toMatchObject({ last_response_status: null, last_error_message: 'TimeoutError' });
});

it('keeps at most 300 characters of a text field', () => {
  const long = 'x'.repeat(5_000);
  const view = readSenderView({ url: long, delivery: { last_error_message: long } }, 'poll', READ_AT);
  expect(view?.last_error_message).toBe('x'.repeat(300));
  expect(view?.configured).toBe(true);
});
