/**
 * The dashboard: one static page whose script reads /api/jobs and /api/stats every second. It
 * separates generation failures (a job's status and error) from delivery failures (the receiver's
 * answers: rejected, failed, retried).
 */
export const DASHBOARD_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>AI Stats jobs</title>
<style>
  body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5rem; color: #1b1b1f; }
  h1 { font-size: 1.3rem; margin: 0 0 .5rem; }
  .totals { display: flex; gap: 1rem; flex-wrap: wrap; margin: .5rem 0 1rem; }
  .totals div { background: #f3f4f6; border-radius: 6px; padding: .4rem .7rem; }
  .totals b { display: block; font-size: 1.1rem; }
  table { border-collapse: collapse; width: 100%; }
  th, td { padding: .35rem .5rem; border-bottom: 1px solid #e5e7eb; text-align: left; vertical-align: top; }
  th { font-weight: 600; background: #fafafa; }
  code { font-size: 12px; white-space: nowrap; }
  .status { padding: .1rem .45rem; border-radius: 999px; font-size: 12px; background: #e5e7eb; }
  .completed { background: #d1fae5; } .failed, .expired, .cancelled { background: #fee2e2; }
  .processing { background: #dbeafe; } .queued { background: #fef3c7; }
  .bar { width: 120px; height: 8px; background: #e5e7eb; border-radius: 4px; overflow: hidden; display: inline-block; }
  .bar span { display: block; height: 100%; background: #2563eb; }
  .error { color: #b91c1c; }
  .muted { color: #6b7280; }
</style>
</head>
<body>
<h1>AI Stats jobs</h1>
<p class="muted">Webhooks, reconciliation and polling feed one monotonic job store. Refreshes every second.</p>
<div class="totals" id="totals"></div>
<table>
  <thead><tr>
    <th>job</th><th>status</th><th>progress</th><th>source</th><th>webhook deliveries</th>
    <th>retries</th><th>last HTTP</th><th>duplicates dropped</th><th>reconciled / conflicts</th>
    <th>generation error</th><th>last delivery failure</th><th>output</th>
  </tr></thead>
  <tbody id="jobs"><tr><td colspan="12" class="muted">No jobs yet.</td></tr></tbody>
</table>
<script>
const el = (tag, { dataset = {}, ...props } = {}, ...children) => {
  const node = Object.assign(document.createElement(tag), props);
  Object.assign(node.dataset, dataset);
  for (const child of children) node.append(child ?? '');
  return node;
};
const time = (iso) => (iso ? new Date(iso).toLocaleTimeString() : '');
async function refresh() {
  try {
    const [jobs, stats] = await Promise.all([fetch('/api/jobs').then((r) => r.json()), fetch('/api/stats').then((r) => r.json())]);
    const t = stats.total;
    document.getElementById('totals').replaceChildren(
      ...[
        ['jobs', jobs.data.length], ['deliveries', t.received], ['processed', t.processed], ['duplicates dropped', t.duplicates],
        ['in flight (409)', t.in_flight], ['rejected (4xx)', t.rejected], ['failed (5xx)', t.failed], ['retried', t.retries],
        ['reconciled', t.reconciled], ['conflicts', t.conflicts],
      ].map(([label, value]) => el('div', { className: 'total', dataset: { label } }, el('b', {}, String(value)), label)),
    );
    const rows = jobs.data.map((job) => {
      const d = job.delivery;
      const bar = el('span');
      bar.style.width = job.progress + '%';
      return el('tr', { dataset: { job: job.id, status: job.status } },
        el('td', {}, el('code', {}, job.id)),
        el('td', {}, el('span', { className: 'status ' + job.status }, job.status)),
        el('td', {}, el('span', { className: 'bar' }, bar), ' ', el('span', { className: 'progress' }, job.progress + '%')),
        el('td', {}, job.source),
        el('td', {}, d.processed + d.duplicates + ' ok / ' + d.received),
        el('td', {}, String(d.retries)),
        el('td', {}, d.last_status === null ? '' : String(d.last_status)),
        el('td', {}, String(d.duplicates)),
        el('td', {}, d.reconciled + ' / ' + d.conflicts),
        el('td', { className: 'error generation-error' }, job.failure ? (job.failure.message || job.failure.code) + ' ' : '', el('span', { className: 'muted' }, job.failure ? time(job.updated_at) : '')),
        el('td', { className: 'error' }, d.last_error ? d.last_error + ' at ' + time(d.last_failure_at) : ''),
        el('td', {}, job.status === 'completed' ? el('a', { href: '/api/jobs/' + encodeURIComponent(job.id) + '/content' }, 'video') : ''),
      );
    });
    document.getElementById('jobs').replaceChildren(...(rows.length ? rows : [el('tr', {}, el('td', { colSpan: 12, className: 'muted' }, 'No jobs yet.'))]));
  } catch (error) {
    console.error(error);
  }
}
refresh();
setInterval(refresh, 1000);
</script>
</body>
</html>`;
