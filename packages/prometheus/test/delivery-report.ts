import type { DeliveryReport } from '@ai-stats-webhooks/core';

/** A delivery report as the receiver gives `onDelivery`: a processed first attempt unless `fields` say otherwise. */
export function deliveryReport(fields: Partial<DeliveryReport> = {}): DeliveryReport {
  return {
    status: 200,
    outcome: 'processed',
    code: undefined,
    eventId: 'evt_1',
    type: 'video.completed',
    jobId: 'G-1',
    attempt: 1,
    reconciled: false,
    conflict: undefined,
    queued: false,
    durationMs: 12,
    ...fields,
  };
}

/** The value of one sample line (`name{labels} value`) of the Prometheus text, or undefined when there is none. */
export function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}
