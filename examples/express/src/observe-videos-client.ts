import type { VideosClient } from '@ai-stats-webhooks/core';
import type { ApiReadEntry, JobTimeline } from './job-timeline.js';

/**
 * The same client, with every read of one job (`getVideo`, `getBatch`) written to the job's
 * timeline as a `poll` or `reconcile` entry: the status and progress read, the sender's view of
 * the job's deliveries (its `webhook` block), or the error. Answers and errors pass through as is.
 *
 * @example
 * ```ts
 * const poller = createPoller({ api: observeVideosClient(api, 'poll', timeline), jobs });
 * ```
 */
export function observeVideosClient(
  api: VideosClient,
  kind: ApiReadEntry['kind'],
  timeline: JobTimeline,
): VideosClient {
  const observe =
    <T extends object>(read: (id: string) => Promise<T>) =>
    async (id: string): Promise<T> => {
      try {
        const answer = await read(id);
        timeline.recordApiRead(kind, id, answer as { status?: unknown; progress?: unknown; webhook?: unknown });
        return answer;
      } catch (error) {
        timeline.recordApiRead(kind, id, { error: error instanceof Error ? error.message : String(error) });
        throw error;
      }
    };
  return {
    getVideo: observe((id) => api.getVideo(id)),
    getBatch: observe((id) => api.getBatch(id)),
    listVideos: (options) => api.listVideos(options),
    createVideo: (body) => api.createVideo(body),
    getContent: (id, index) => api.getContent(id, index),
  };
}
