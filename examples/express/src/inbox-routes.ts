import express from 'express';
import type { PostgresInbox } from '@ai-stats-webhooks/postgres';

/** Defaults of {@link inboxRoutes}: `GET /api/inbox` lists the 50 newest dead letters. */
export const INBOX_ROUTES_DEFAULTS = Object.freeze({ deadLimit: 50 });

const notInboxMode = {
  error: 'not_found',
  message: 'The inbox is off: start the app with PROCESSING=inbox (and a database) to use it.',
};

/**
 * The inbox's admin routes (PROCESSING=inbox), for the dashboard's inbox panel:
 * - `GET /api/inbox`: `{ stats: { pending, oldest_pending_ms, retrying, processing, dead, done },
 *   dead: [{ event_id, type, job_id, attempts, delivery_attempt, last_error, received_at,
 *   updated_at }] }`, the newest dead letters first (at most 50);
 * - `POST /api/inbox/:eventId/replay`: puts a dead (or done) event back in line with its attempts
 *   reset (the inbox's `replay`); 200 `{ replayed: true, previous_status }`, 404 for an unknown
 *   event id, 409 `not_replayable` while it is pending or processing, 403 to a browser request
 *   from another site (`Sec-Fetch-Site`).
 *
 * Without an inbox (PROCESSING=inline) both answer 404 `{ "error": "not_found" }`, and the
 * dashboard hides its panel. Mount it after the admin guard.
 *
 * @example
 * ```ts
 * app.use(adminAuth(config.adminToken), inboxRoutes(config.processing === 'inbox' ? stores.inbox : undefined));
 * ```
 */
export function inboxRoutes(inbox: PostgresInbox | undefined): express.Router {
  const router = express.Router();
  router.get('/api/inbox', async (_req, res) => {
    if (!inbox) return void res.status(404).json(notInboxMode);
    res.json(await inboxSummary(inbox));
  });
  router.post('/api/inbox/:eventId/replay', refuseCrossSite, async (req, res) => {
    if (!inbox) return void res.status(404).json(notInboxMode);
    const { replayed, status } = await inbox.replay(String(req.params.eventId));
    if (replayed) return void res.json({ replayed: true, previous_status: status });
    if (status === undefined)
      return void res.status(404).json({ error: 'not_found', message: 'No event with that id is in the inbox.' });
    res.status(409).json({
      error: 'not_replayable',
      message: `Expected a dead (or done) event, found one that is ${status}: it is still in line, nothing to replay.`,
    });
  });
  return router;
}

// A page on another site must not replay events with the credentials the browser keeps for the
// dashboard (a bodiless POST needs no CORS preflight). Browsers mark every request with
// Sec-Fetch-Site; the dashboard's are same-origin, and clients that are not browsers send none.
const refuseCrossSite: express.RequestHandler = (req, res, next) => {
  const site = req.get('sec-fetch-site');
  if (site === undefined || site === 'same-origin' || site === 'none') return next();
  res.status(403).json({
    error: 'forbidden',
    message: `Expected a request from the dashboard (Sec-Fetch-Site: same-origin), found Sec-Fetch-Site: ${site.slice(0, 40)}. Fix: replay from the dashboard, the CLI or a client that is not a browser.`,
  });
};

async function inboxSummary(inbox: PostgresInbox) {
  const [stats, dead] = await Promise.all([
    inbox.stats(),
    inbox.list({ status: 'dead', limit: INBOX_ROUTES_DEFAULTS.deadLimit }),
  ]);
  return {
    stats: {
      pending: stats.pending,
      oldest_pending_ms: stats.oldestPendingMs,
      retrying: stats.retrying,
      processing: stats.processing,
      dead: stats.dead,
      done: stats.done,
    },
    dead: dead.map((row) => ({
      event_id: row.eventId,
      type: row.type,
      job_id: row.jobId,
      attempts: row.attempts,
      delivery_attempt: row.deliveryAttempt,
      last_error: row.lastError,
      received_at: row.receivedAt.toISOString(),
      updated_at: row.updatedAt.toISOString(),
    })),
  };
}
