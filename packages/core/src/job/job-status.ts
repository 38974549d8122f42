/** The one status vocabulary the kit stores: the public words, with every alias folded in. */
export type JobStatus = 'queued' | 'processing' | 'completed' | 'failed' | 'cancelled' | 'expired';

/** The terminal statuses: once a job reaches one, only the API can change it to another. */
export const TERMINAL_STATUSES: ReadonlySet<JobStatus> = new Set<JobStatus>([
  'completed',
  'failed',
  'cancelled',
  'expired',
]);

// Public, lifecycle and internal words of the sender (spec §8.1) and the batch provider words
// that show as in progress, in one table.
const ALIASES: ReadonlyMap<string, JobStatus> = new Map(
  Object.entries({
    queued: 'queued',
    pending: 'queued',
    unknown: 'queued',
    '': 'queued',
    validating: 'processing',
    processing: 'processing',
    in_progress: 'processing',
    running: 'processing',
    finalizing: 'processing',
    cancelling: 'processing',
    completed: 'completed',
    complete: 'completed',
    succeeded: 'completed',
    success: 'completed',
    failed: 'failed',
    error: 'failed',
    cancelled: 'cancelled',
    canceled: 'cancelled',
    expired: 'expired',
  }) as [string, JobStatus][],
);

/**
 * Folds any status word the sender or the API uses (public `status`, `lifecycle_status`,
 * internal `status_change.*`, `polled_status`, batch words) into a {@link JobStatus}. Returns
 * undefined for a word it does not know, so callers can refuse to guess.
 *
 * @example
 * ```ts
 * normalizeStatus('in_progress'); // 'processing'
 * normalizeStatus('pending'); // 'queued'
 * ```
 */
export function normalizeStatus(word: string | null | undefined): JobStatus | undefined {
  if (word === null || word === undefined) return undefined;
  return ALIASES.get(word) ?? ALIASES.get(word.trim().toLowerCase());
}

/** True for completed, failed, cancelled and expired. */
export function isTerminal(status: JobStatus): boolean {
  return TERMINAL_STATUSES.has(status);
}

/** Order used by the state machine: queued < processing < any terminal. */
export function statusRank(status: JobStatus): 0 | 1 | 2 {
  return status === 'queued' ? 0 : status === 'processing' ? 1 : 2;
}
