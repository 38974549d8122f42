import { withAppliedEvents, type AppliedEvent, type JobState } from './job-state-machine';

/** How many events a job remembers (a retried event is usually the latest or close to it). */
export const APPLIED_EVENTS_KEPT = 4;

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
 * Returns `state` remembering that `eventId` moved the job from `previous` (the last
 * {@link APPLIED_EVENTS_KEPT} events are kept; the snapshot drops its own history).
 *
 * @example
 * ```ts
 * const next = rememberEvent(transition.state, event.id, transition.previous);
 * ```
 */
export function rememberEvent(state: JobState, eventId: string, previous: JobState | undefined): JobState {
  const entry: AppliedEvent =
    previous === undefined
      ? { eventId, changed: true }
      : { eventId, changed: true, previous: withoutHistory(previous) };
  const earlier = state.appliedEvents;
  if (earlier === undefined) return withAppliedEvents(state, [entry]);
  const kept = earlier.filter((item) => item.eventId !== eventId).slice(-(APPLIED_EVENTS_KEPT - 1));
  kept.push(entry);
  return withAppliedEvents(state, kept);
}

function withoutHistory(job: JobState): JobState {
  return job.appliedEvents === undefined ? job : withAppliedEvents(job, undefined);
}
