import { CHARTS_SCRIPT } from './dashboard/charts-script.js';
import { DASHBOARD_STYLES } from './dashboard/dashboard-styles.js';
import { INBOX_SCRIPT } from './dashboard/inbox-script.js';
import { JOBS_SCRIPT } from './dashboard/jobs-script.js';
import { TIMELINE_SCRIPT } from './dashboard/timeline-script.js';

/**
 * The dashboard: one static page, no framework and no CDN, whose script reads the newest page of
 * /api/jobs, /api/stats, /api/inbox and the open job's /api/jobs/:id/timeline, one second after
 * the previous reading has finished (never two at once). It draws the
 * deliveries per minute by outcome and the jobs by status as inline SVG, gives each job a verdict
 * (generation failed, rejected by us, delivery failing, recovered by polling, healthy), opens a
 * job's timeline on a click, and in PROCESSING=inbox shows the inbox with a Replay button per dead
 * letter. It separates generation failures (a job's status and error) from delivery failures (the
 * receiver's answers: rejected, failed, retried). Its requests are same-origin, so a browser
 * reuses the HTTP Basic credentials it gave for ADMIN_TOKEN.
 */
export const DASHBOARD_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>AI Stats jobs</title>
<style>${DASHBOARD_STYLES}</style>
</head>
<body>
<h1>AI Stats jobs</h1>
<p class="muted">Webhooks, reconciliation and polling feed one monotonic job store. Refreshes every second. Click a job for its timeline.</p>
<div class="totals" id="totals"></div>
<div class="charts">
  <figure><figcaption>Deliveries per minute by outcome (last hour)</figcaption><div id="deliveries-chart"></div><div class="legend" id="deliveries-legend"></div></figure>
  <figure><figcaption>Jobs by status</figcaption><div id="status-chart"></div></figure>
</div>
<section class="panel" id="inbox" hidden>
  <header><h2>Inbox</h2><span class="muted" id="inbox-message"></span></header>
  <div class="totals" id="inbox-stats"></div>
  <table>
    <thead><tr><th>dead letter</th><th>type</th><th>job</th><th>attempts</th><th>dead since</th><th>last error</th><th></th></tr></thead>
    <tbody id="dead-letters"></tbody>
  </table>
</section>
<section class="panel" id="timeline" hidden>
  <header><h2>Timeline of <code id="timeline-job"></code></h2><span id="timeline-verdict"></span><button type="button" id="timeline-close">Close</button></header>
  <div class="sender" id="sender"></div>
  <table>
    <thead><tr><th>time</th><th>what</th><th>event / read</th><th>attempt</th><th>our answer / sender</th><th>latency</th><th>error</th></tr></thead>
    <tbody id="timeline-entries"></tbody>
  </table>
</section>
<h2>Jobs <span class="muted" id="jobs-shown"></span></h2>
<table>
  <thead><tr>
    <th>job</th><th>status</th><th>progress</th><th>verdict</th><th>source</th><th>webhook deliveries</th>
    <th>retries</th><th>last HTTP</th><th>duplicates dropped</th><th>reconciled / conflicts</th>
    <th>generation error</th><th>last delivery failure</th><th>output</th>
  </tr></thead>
  <tbody id="jobs"><tr><td colspan="13" class="muted">No jobs yet.</td></tr></tbody>
</table>
<script>
${JOBS_SCRIPT}
${CHARTS_SCRIPT}
${TIMELINE_SCRIPT}
${INBOX_SCRIPT}
refreshLoop();
</script>
</body>
</html>`;
