import { createDelivery, type CreateDeliveryOptions } from '@ai-stats-webhooks/testing';
import { fixture } from '../../../test/helpers/deliveries';

// Fields whose null / non-null follows the job's lifecycle stage (spec §6.2, §6.3).
const LIFECYCLE_FIELDS = [
  'duration_ms',
  'total_duration_ms',
  'latency_ms',
  'generation_ms',
  'key_source',
  'byok_key_id',
  'reservation_id',
  'reservation_status',
  'input_file_id',
  'output_file_id',
  'pricing_lines',
  'next_webhook_retry_at',
  'last_webhook_progress',
  'last_webhook_progress_at',
  'last_webhook_dispatched_at',
  'finalized_at',
  'last_polled_at',
  'polled_status',
  'last_reconciled_at',
  'pricing_breakdown',
];
// Fields equal to the fixture's whatever the job id.
const SAME_VALUE = ['key_source', 'byok_key_id', 'reservation_status', 'polled_status'];
const SAME_BILLING = ['currency', 'state', 'billable', 'reservation_status', 'charge_reason', 'charged'];

// Each spec fixture, and the createDelivery call that builds the same event for the same job.
const CASES: [string, (data: Record<string, any>, createdAt: number) => CreateDeliveryOptions][] = [
  ['video.completed.json', (d, at) => ({ type: 'video.completed', job: { id: d.id }, createdAt: at })],
  ['video.failed.attempt2.json', (d, at) => ({ type: 'video.failed', job: { id: d.id }, attempt: 2, createdAt: at })],
  ['video.progress.50.json', (d, at) => ({ type: 'video.progress', job: { id: d.id, progress: 52 }, createdAt: at })],
  ['video.status_changed.json', (d, at) => ({ type: 'video.status_changed', job: { id: d.id }, createdAt: at })],
  ['batch.completed.json', (d, at) => ({ type: 'batch.completed', job: { id: d.id }, createdAt: at })],
];

const isNull = (value: unknown) => value === null;
const times = (data: Record<string, any>) =>
  Object.entries(data).filter(([k, v]) => typeof v === 'string' && /_at$/.test(k)) as [string, string][];

describe.each(CASES)('createDelivery against the spec fixture %s', (name, options) => {
  const sent = fixture(name).body;
  const built = createDelivery(options(sent.data, sent.created_at));
  const { webhook: _webhook, ...sentData } = sent.data as Record<string, any>;

  it('has every data field of the sender, in its order (webhook aside)', () => {
    expect(Object.keys(built.data)).toEqual(Object.keys(sentData));
  });

  it('has the billing fields of the sender, in its order', () => {
    expect(Object.keys(built.data.billing as object)).toEqual(Object.keys(sentData.billing));
  });

  it('is null where the sender sends null at this stage, and set where it is set', () => {
    const nulls = (data: Record<string, any>) =>
      LIFECYCLE_FIELDS.filter((k) => k in data).map((k) => [k, isNull(data[k])]);
    expect(nulls(built.data)).toEqual(nulls(sentData));
    const billingNulls = (b: Record<string, unknown>) => Object.entries(b).map(([k, v]) => [k, isNull(v)]);
    expect(billingNulls(built.data.billing as Record<string, unknown>)).toEqual(billingNulls(sentData.billing));
  });

  it('has the values of the sender where they do not depend on the job', () => {
    const pick = (data: Record<string, any>, keys: string[]) => keys.map((k) => [k, data[k]]);
    expect(pick(built.data, SAME_VALUE)).toEqual(pick(sentData, SAME_VALUE));
    expect(pick(built.data.billing as object, SAME_BILLING)).toEqual(pick(sentData.billing, SAME_BILLING));
    expect(built.data.reservation_id).toBe(sentData.reservation_id.replace(/:.*/, `:${built.data.request_id}`));
  });

  it('keeps its times in lifecycle order, none after the send time', () => {
    const at = (key: string) => Date.parse(String(built.data[key] ?? built.data.created_at));
    expect(at('created_at')).toBeLessThanOrEqual(at('last_polled_at'));
    expect(at('last_polled_at')).toBeLessThanOrEqual(at('finalized_at') + (built.data.finalized_at ? 0 : Infinity));
    for (const [key, value] of times(built.data)) {
      expect([key, Date.parse(value) <= built.created_at * 1000]).toEqual([key, true]);
      expect([key, Date.parse(value) >= at('created_at')]).toEqual([key, true]);
    }
  });
});

describe('createDelivery follows the job lifecycle', () => {
  it('a created video: nothing polled, dispatched or finalised yet, its estimate held', () => {
    const { data } = createDelivery({ type: 'video.created', job: { id: 'G-1' } });
    expect(data).toMatchObject({
      latency_ms: null,
      reservation_status: 'held',
      last_webhook_dispatched_at: null,
      last_polled_at: null,
      polled_status: null,
      finalized_at: null,
      pricing_breakdown: null,
      billing: { state: 'estimated', settled_user_cost: null, charged: null },
    });
    expect(data.billing).not.toHaveProperty('billed_at');
  });

  it('a cancelled or expired video is finalised and void, as a failed one', () => {
    for (const type of ['video.cancelled', 'video.expired'] as const) {
      const { data } = createDelivery({ type });
      expect(data).toMatchObject({ reservation_status: 'released', billing: { state: 'void', charged: false } });
      expect(data.finalized_at).toEqual(expect.any(String));
    }
  });

  it('a progress event names the bucket delivered before it, the first none', () => {
    expect(createDelivery({ type: 'video.progress', job: { progress: 52 } }).data.last_webhook_progress).toBe(40);
    expect(createDelivery({ type: 'video.progress', job: { progress: 3 } }).data.last_webhook_progress).toBeNull();
  });

  it('a retry carries the time it was scheduled for and the attempt before it (60 s earlier)', () => {
    const { data } = createDelivery({ type: 'video.failed', attempt: 2, createdAt: 1786533367 });
    const retryAt = Date.parse(String(data.next_webhook_retry_at));
    expect(retryAt - Date.parse(String(data.last_webhook_dispatched_at))).toBe(60_000);
    expect(createDelivery({ type: 'video.failed' }).data.next_webhook_retry_at).toBeNull();
  });

  it('a created batch holds its estimate and has no pricing line yet', () => {
    const { data } = createDelivery({ type: 'batch.created' });
    expect(data).toMatchObject({
      reservation_status: 'held',
      pricing_lines: [],
      polled_status: null,
      billing: { state: 'estimated', estimation_truncated: null },
    });
  });

  it('a completed batch derives one pricing line from the settled total (spec §6.3)', () => {
    const { data } = createDelivery({ type: 'batch.completed' });
    const line = (data.pricing_lines as Record<string, unknown>[])[0];
    expect(data.pricing_lines).toHaveLength(1);
    expect(Object.keys(line!)).toEqual(Object.keys(fixture('batch.completed.json').body.data.pricing_lines[0]));
    expect(line).toMatchObject({ dimension: 'batch_requests', units: 10, endpoint: '/v1/responses' });
    expect(line!.total_nanos).toBe((data.billing as { total_nanos: number }).total_nanos);
  });
});
