import { internalStatus, type MockInternalStatus } from './job-lifecycle';
import { videoObject, type MockJob } from './mock-job';

/** What `GET /v1/videos` answers: the list page, or a 400 `validation_error` body. */
export type ListVideosAnswer =
  | { readonly status: 200; readonly body: Record<string, unknown> }
  | { readonly status: 400; readonly body: { error: 'validation_error'; reason: string; message: string } };

/** The sender loads only this many of the most recent matching jobs before paging (spec §8.3). */
const LOADED = 101;

/**
 * One page of `GET /v1/videos` (spec §8.3): videos only, newest first (`order=desc`, the default)
 * or oldest first (`order=asc`) among the 101 most recent that match `status` (repeatable or
 * comma-separated, any word or alias), after the `after` cursor, at most `limit` (clamped to
 * 0–100; 0, an empty page, when omitted). An unknown status word or order answers 400; a cursor
 * not among the loaded jobs gives an empty page. `statusOf` is the status the API shows for a job
 * (default its own; the mock's `apiLag` fault shows the one before), for the filter and the objects.
 *
 * @example
 * ```ts
 * listVideosPage(jobs.values(), new URLSearchParams('limit=1'), baseUrl).body.has_more; // true with 2 videos
 * ```
 */
export function listVideosPage<J extends MockJob>(
  jobs: Iterable<J>,
  params: URLSearchParams,
  baseUrl: string,
  statusOf: (job: J) => MockInternalStatus = (job) => job.status,
): ListVideosAnswer {
  const wanted = readStatuses(params);
  if (typeof wanted === 'string') return invalid('invalid_status', wanted);
  const order = (params.get('order') ?? 'desc').trim().toLowerCase();
  if (order !== 'asc' && order !== 'desc')
    return invalid('invalid_order', `Expected order=asc or order=desc, found ${JSON.stringify(params.get('order'))}.`);
  const newest = [...jobs]
    .filter((job) => job.kind === 'video' && (wanted.size === 0 || wanted.has(statusOf(job))))
    .reverse()
    .slice(0, LOADED);
  const loaded = order === 'asc' ? newest.reverse() : newest;
  const after = params.get('after');
  const start = after === null ? 0 : cursorStart(loaded, after);
  const limit = Math.max(0, Math.min(100, Math.trunc(Number(params.get('limit') ?? 0)) || 0));
  const data = loaded.slice(start, start + limit).map((job) => videoObject(job, baseUrl, statusOf(job)));
  const page = {
    first_id: data[0]?.id ?? null,
    last_id: data.at(-1)?.id ?? null,
    has_more: start + limit < loaded.length,
  };
  return { status: 200, body: { object: 'list', data, ...page } };
}

// The position after the cursor; past the end when the cursor is not among the loaded jobs.
function cursorStart(loaded: readonly { readonly id: string }[], after: string): number {
  const index = loaded.findIndex((job) => job.id === after);
  return index === -1 ? loaded.length : index + 1;
}

// The internal statuses asked for, or the message for an unknown word.
function readStatuses(params: URLSearchParams): Set<MockInternalStatus> | string {
  const words = params
    .getAll('status')
    .flatMap((value) => value.split(','))
    .map((word) => word.trim())
    .filter((word) => word !== '');
  const wanted = new Set<MockInternalStatus>();
  for (const word of words) {
    const status = internalStatus(word);
    if (status === undefined)
      return `Unknown status ${JSON.stringify(word)}: expected queued, pending, processing, in_progress, running, completed, succeeded, failed, error, cancelled or expired.`;
    wanted.add(status);
  }
  return wanted;
}

function invalid(reason: string, message: string): ListVideosAnswer {
  return { status: 400, body: { error: 'validation_error', reason, message } };
}
