import { normalizeStatus, type EventPhase, type JobKind } from '@ai-stats-webhooks/core';

/** Internal statuses a job moves through: the sender's own words (spec §8.1). */
export type MockInternalStatus = 'queued' | 'in_progress' | 'completed' | 'failed' | 'cancelled' | 'expired';

/** The words one internal status shows as: public video `status`, public batch `status`, `lifecycle_status`. */
export interface LifecycleWords {
  readonly video: string;
  readonly batch: string;
  readonly lifecycle: string;
}

/**
 * The one lifecycle table of the testing kit (spec §6.2, §6.3, §8.1): every internal status with
 * the words the sender puts in webhook `data` and the Video API. `createDelivery`, the data
 * builders and the mock gateway all read it.
 *
 * @example
 * ```ts
 * JOB_LIFECYCLE.in_progress; // { video: 'processing', batch: 'in_progress', lifecycle: 'running' }
 * ```
 */
export const JOB_LIFECYCLE: Readonly<Record<MockInternalStatus, LifecycleWords>> = Object.freeze({
  queued: { video: 'queued', batch: 'pending', lifecycle: 'pending' },
  in_progress: { video: 'processing', batch: 'in_progress', lifecycle: 'running' },
  completed: { video: 'completed', batch: 'completed', lifecycle: 'completed' },
  failed: { video: 'failed', batch: 'failed', lifecycle: 'failed' },
  cancelled: { video: 'cancelled', batch: 'cancelled', lifecycle: 'cancelled' },
  expired: { video: 'expired', batch: 'expired', lifecycle: 'expired' },
});

/**
 * The public `status` word of a job of this kind.
 *
 * @example
 * ```ts
 * publicStatus('queued'); // 'queued'
 * publicStatus('queued', 'batch'); // 'pending'
 * ```
 */
export function publicStatus(status: MockInternalStatus, kind: JobKind = 'video'): string {
  return lifecycleWords(status, 'publicStatus')[kind];
}

/**
 * The `lifecycle_status` word (the same for both kinds).
 *
 * @example
 * ```ts
 * lifecycleStatus('in_progress'); // 'running'
 * ```
 */
export function lifecycleStatus(status: MockInternalStatus): string {
  return lifecycleWords(status, 'lifecycleStatus').lifecycle;
}

// The row of an internal status; anything else is a bug upstream, named here rather than crashing
// on `undefined`.
function lifecycleWords(status: MockInternalStatus, who: string): LifecycleWords {
  if (Object.hasOwn(JOB_LIFECYCLE, status)) return JOB_LIFECYCLE[status];
  throw new RangeError(
    `${who}: expected an internal status (${Object.keys(JOB_LIFECYCLE).join(', ')}), found ${JSON.stringify(status)}. Fix: fold other words with internalStatus() first.`,
  );
}

/**
 * The internal status of any status word the sender or the API uses (public, lifecycle, internal
 * or an alias such as `canceled`), or undefined for a word it does not know.
 *
 * @example
 * ```ts
 * internalStatus('processing'); // 'in_progress'
 * internalStatus('pending'); // 'queued'
 * ```
 */
export function internalStatus(word: string | null | undefined): MockInternalStatus | undefined {
  const folded = normalizeStatus(word);
  return folded === 'processing' ? 'in_progress' : folded;
}

/**
 * The status a job has when the sender emits an event of this phase: `created` → queued,
 * `progress` and `status_changed` → in progress, a terminal phase → that status.
 *
 * @example
 * ```ts
 * phaseStatus('progress'); // 'in_progress'
 * ```
 */
export function phaseStatus(phase: EventPhase): MockInternalStatus {
  if (phase === 'created') return 'queued';
  if (phase === 'progress' || phase === 'status_changed') return 'in_progress';
  return phase;
}
