import type { DeliveryReport } from '@ai-stats-webhooks/core';
import { createDeliveryStats, DELIVERY_STATS_DEFAULTS } from '../examples/express/src/delivery-stats';
import { createMinuteSeries, MINUTE_SERIES_DEFAULTS } from '../examples/express/src/minute-series';

// The dashboard's deliveries-per-minute series (examples/express, GET /api/stats `series`):
// 60 one-minute buckets, bounded however long the app runs. createMinuteSeries (minute-series.ts)
// holds them; createDeliveryStats counts every answer into one.

const report = (outcome: DeliveryReport['outcome']): DeliveryReport => ({
  status: { processed: 200, duplicate: 200, in_flight: 409, rejected: 401, failed: 500 }[outcome],
  outcome,
  code: undefined,
  eventId: undefined,
  type: undefined,
  jobId: undefined,
  attempt: undefined,
  reconciled: false,
  conflict: undefined,
  queued: false,
  durationMs: 1,
});

it('counts answers per minute by outcome, oldest first, empty minutes included', () => {
  let now = Date.parse('2026-01-01T12:00:30.000Z');
  const stats = createDeliveryStats({ now: () => now });
  stats.record(report('processed'));
  stats.record(report('rejected'));
  now += 60_000;
  stats.record(report('processed'));
  stats.record(report('failed'));
  const series = stats.series();
  expect(series).toHaveLength(DELIVERY_STATS_DEFAULTS.minutes);
  expect(series.at(-1)).toEqual({
    minute: '2026-01-01T12:01:00.000Z',
    processed: 1,
    duplicate: 0,
    in_flight: 0,
    rejected: 0,
    failed: 1,
  });
  expect(series.at(-2)).toMatchObject({ minute: '2026-01-01T12:00:00.000Z', processed: 1, rejected: 1 });
  expect(series[0]!.minute).toBe('2026-01-01T11:02:00.000Z');
  expect(stats.total()).toMatchObject({ received: 4, processed: 2, rejected: 1, failed: 1 });
});

it('keeps at most `minutes` buckets however long it runs', () => {
  let now = 0;
  const stats = createDeliveryStats({ minutes: 5, now: () => now });
  for (let minute = 0; minute < 100; minute++) {
    now = minute * 60_000;
    stats.record(report('duplicate'));
    expect(stats.minuteCount()).toBeLessThanOrEqual(5);
  }
  expect(stats.series().map((b) => b.duplicate)).toEqual([1, 1, 1, 1, 1]);
  now += 10 * 60_000;
  expect(stats.series().every((b) => b.duplicate === 0)).toBe(true);
  expect(stats.minuteCount()).toBe(0);
});

it('names the option it rejects', () => {
  expect(() => createDeliveryStats({ minutes: 0 })).toThrow(/minutes: expected an integer of at least 1, found 0/);
});

it('is its own module: createMinuteSeries, 60 minutes by default, copies out', () => {
  let now = Date.parse('2026-01-01T12:00:59.999Z');
  const series = createMinuteSeries({ now: () => now });
  expect(MINUTE_SERIES_DEFAULTS.minutes).toBe(DELIVERY_STATS_DEFAULTS.minutes);
  series.record('in_flight');
  now += 1; // the next minute
  series.record('in_flight');
  const snapshot = series.snapshot();
  expect(snapshot).toHaveLength(60);
  expect(snapshot.slice(-2).map((b) => [b.minute, b.in_flight])).toEqual([
    ['2026-01-01T12:00:00.000Z', 1],
    ['2026-01-01T12:01:00.000Z', 1],
  ]);
  snapshot.at(-1)!.in_flight = 99;
  expect(series.snapshot().at(-1)!.in_flight).toBe(1);
  expect(series.held()).toBe(2);
  expect(() => createMinuteSeries({ minutes: 1.5 })).toThrow(/minutes: expected an integer of at least 1, found 1.5/);
});
