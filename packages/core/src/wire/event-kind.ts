import type { JobKind } from './schemas';

/**
 * The kind of job an event type is about: `batch.*` is a batch, anything else a video.
 *
 * @example
 * ```ts
 * eventKind('batch.completed'); // 'batch'
 * ```
 */
export function eventKind(type: unknown): JobKind {
  return typeof type === 'string' && type.startsWith('batch.') ? 'batch' : 'video';
}
