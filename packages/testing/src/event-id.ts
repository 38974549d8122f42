import type { JobKind } from '@ai-stats-webhooks/core';

/**
 * The sender's event id: `evt_<kind>_<jobId>_<deliveryKey>`, collapsed and truncated (spec §4).
 *
 * @example
 * ```ts
 * eventId('video', 'G-01', 'video.progress:50'); // 'evt_video_G-01_video_progress_50'
 * ```
 */
export function eventId(kind: JobKind, jobId: string, deliveryKey: string): string {
  return ['evt', kind, jobId, deliveryKey]
    .join('_')
    .replace(/[^A-Za-z0-9_-]+/g, '_')
    .slice(0, 160);
}
