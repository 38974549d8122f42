import type { WebhookEvent } from '../wire/schemas';
import { eventKind } from '../wire/event-kind';

// Letters, digits, `_` and `-`: what the sender keeps of a job id when it builds the event id.
const KEPT_AS_IS = /^[\w-]*$/;
/** The sender cuts event ids at this length (spec §4). */
const EVENT_ID_MAX = 160;

/**
 * The key a delivery is deduplicated (and remembered in its job's history) on: the event id, which
 * the sender builds from the kind, the job id and the delivery key, with every run of other
 * characters than letters, digits, `_` and `-` made one `_`, cut at 160 characters (spec §4). That
 * id names one event only while nothing was cut and the job id kept its characters; otherwise two
 * events could share it (every event of a job whose id is 150 characters long, or jobs `a.b` and
 * `a:b`), and the key is `(kind, job id, delivery key)` itself, which the spec gives as the
 * equivalent key: `["evt","video","<job id>","video.completed"]`. Same on every retry.
 *
 * @example
 * ```ts
 * dedupeKeyOf(event); // 'evt_video_G-01KA7Q3M9V2X5C8B4N6D1F0H7J_video_completed'
 * ```
 */
export function dedupeKeyOf(event: WebhookEvent): string {
  if (event.id.length < EVENT_ID_MAX && KEPT_AS_IS.test(event.data.id)) return event.id;
  return JSON.stringify(['evt', eventKind(event.type), event.data.id, event.delivery.key]);
}
