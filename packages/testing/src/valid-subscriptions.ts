import { EVENT_PHASES, type EventPhase, type JobKind } from '@ai-stats-webhooks/core';

/**
 * The subscription names of a list the sender keeps (spec §5): `job.<phase>`, `<kind>.<phase>` or a
 * bare phase, case-insensitive, `canceled` accepted. Unknown names are dropped, and with `kind`,
 * so are the other kind's names. A non-empty list with none left is one the API refuses with 400.
 *
 * @example
 * ```ts
 * validSubscriptions(['job.completed', 'bogus', 'batch.failed'], 'video'); // ['job.completed']
 * validSubscriptions(['Video.Canceled']); // ['Video.Canceled']
 * ```
 */
export function validSubscriptions(events: readonly string[], kind?: JobKind): string[] {
  return events.filter((raw) => {
    const name = raw.trim().toLowerCase().replace('canceled', 'cancelled');
    const [scope, phase, ...rest] = name.includes('.') ? name.split('.') : ['job', name];
    if (rest.length > 0 || !EVENT_PHASES.includes(phase as EventPhase)) return false;
    return scope === 'job' || (kind === undefined ? scope === 'video' || scope === 'batch' : scope === kind);
  });
}
