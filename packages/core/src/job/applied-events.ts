import { withAppliedEvents, type AppliedEvent, type JobState } from './job-state-machine';

/**
 * How many events that changed only the progress a job remembers (the latest ones). Events that
 * changed its status (created, started, finished, reconciled) are kept apart, up to
 * {@link STATUS_CHANGES_KEPT}, so a `video.created` whose handlers failed still finds its own
 * transition when it is retried after ten progress events.
 */
export const APPLIED_EVENTS_KEPT = 4;

/** How many status-changing events a job remembers: more than one lifecycle has. */
export const STATUS_CHANGES_KEPT = 8;

/**
 * What an earlier attempt of this event did to the job, when the job remembers it: the event
 * changed the job but its handlers failed, so it was not committed and is being delivered again.
 *
 * @example
 * ```ts
 * const earlier = recallEvent(current, event.id); // { previous, changed } or undefined
 * ```
 */
export function recallEvent(job: JobState | undefined, eventId: string | undefined): AppliedEvent | undefined {
  if (job?.appliedEvents === undefined || eventId === undefined) return undefined;
  return job.appliedEvents.find((entry) => entry.eventId === eventId);
}

/**
 * Returns `state` remembering that `eventId` moved the job from `previous` to it (the last
 * {@link STATUS_CHANGES_KEPT} status changes and the last {@link APPLIED_EVENTS_KEPT} other
 * changes are kept; the snapshot drops its own history).
 *
 * @example
 * ```ts
 * const next = rememberEvent(transition.state, event.id, transition.previous);
 * ```
 */
export function rememberEvent(state: JobState, eventId: string, previous: JobState | undefined): JobState {
  const entry: AppliedEvent =
    previous === undefined
      ? { eventId, changed: true, status: state.status }
      : { eventId, changed: true, status: state.status, previous: withoutHistory(previous) };
  const earlier = state.appliedEvents;
  if (earlier === undefined) return withAppliedEvents(state, [entry]);
  return withAppliedEvents(state, keepLatest([...earlier.filter((item) => item.eventId !== eventId), entry]));
}

// Newest first: each entry is kept while its class (status change or not) is under its limit.
function keepLatest(entries: AppliedEvent[]): AppliedEvent[] {
  let statusChanges = 0;
  let others = 0;
  const kept: AppliedEvent[] = [];
  for (let i = entries.length - 1; i >= 0; i--) {
    const entry = entries[i]!;
    const statusChange = entry.status !== undefined && entry.previous?.status !== entry.status;
    if (statusChange ? ++statusChanges > STATUS_CHANGES_KEPT : ++others > APPLIED_EVENTS_KEPT) continue;
    kept.push(entry);
  }
  return kept.reverse();
}

function withoutHistory(job: JobState): JobState {
  return job.appliedEvents === undefined ? job : withAppliedEvents(job, undefined);
}
