import express from 'express';
import { isPlainJobId, type JobStore } from '@ai-stats-webhooks/core';
import type { JobTimeline } from './job-timeline.js';

/**
 * `GET /api/jobs/:id/timeline`: the job's verdict, the newest reading of the sender's own view of
 * its deliveries, and its timeline (deliveries, polls, reconciliations; oldest first, at most the
 * last 50). 404 `{ "error": "not_found" }` for a job that is not stored or an id that is not a plain job
 * id, as `GET /api/jobs/:id`.
 * Mount it after the admin guard.
 *
 * @example
 * ```ts
 * app.use(adminAuth(config.adminToken), timelineRoutes({ jobs, timeline }));
 * ```
 */
export function timelineRoutes(deps: { jobs: JobStore; timeline: JobTimeline }): express.Router {
  const router = express.Router();
  router.get('/api/jobs/:id/timeline', async (req, res) => {
    const job = isPlainJobId(req.params.id) ? await deps.jobs.get(req.params.id) : undefined;
    if (!job) {
      res.status(404).json({ error: 'not_found', message: 'No job with that id is stored here.' });
      return;
    }
    const { entries, sender } = deps.timeline.timeline(job.id);
    res.json({
      job_id: job.id,
      status: job.status,
      source: job.source,
      updated_at: job.updatedAt,
      ...deps.timeline.verdictOf(job),
      sender,
      entries,
    });
  });
  return router;
}
