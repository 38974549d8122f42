/**
 * The page script's helpers, the totals and the jobs table (one row per job of the newest page,
 * with its verdict; a click on a row opens its timeline), and the refresh loop that also redraws
 * the charts, the open timeline and the inbox panel. The loop reads one page of jobs
 * (`/api/jobs?limit=`) and takes the job counts from `/api/stats` (the store's own counts), and
 * it schedules the next refresh only once the current one has finished, so a slow answer never
 * piles up requests or redraws.
 */
export const JOBS_SCRIPT = `
const el = (tag, { dataset = {}, ...props } = {}, ...children) => {
  const node = Object.assign(document.createElement(tag), props);
  Object.assign(node.dataset, dataset);
  for (const child of children) node.append(child ?? '');
  return node;
};
const time = (iso) => (iso ? new Date(iso).toLocaleTimeString() : '');
const JOBS_PAGE = 200;
const REFRESH_MS = 1000;
const getJson = async (path) => {
  const res = await fetch(path, { signal: AbortSignal.timeout(10000) });
  return res.ok ? res.json() : undefined;
};
function drawTotals(jobCount, t) {
  document.getElementById('totals').replaceChildren(
    ...[
      ['jobs', jobCount], ['deliveries', t.received], ['processed', t.processed], ['duplicates dropped', t.duplicates],
      ['in flight (409)', t.in_flight], ['rejected (4xx)', t.rejected], ['failed (5xx)', t.failed], ['retried', t.retries],
      ['reconciled', t.reconciled], ['conflicts', t.conflicts],
    ].map(([label, value]) => el('div', { className: 'total', dataset: { label } }, el('b', {}, String(value)), label)),
  );
}
const verdictBadge = (verdict, label) =>
  el('span', { className: 'verdict v-' + verdict, title: label || '', dataset: { verdict: verdict || '' } }, label || '');
function jobRow(job) {
  const d = job.delivery;
  const bar = el('span');
  bar.style.width = job.progress + '%';
  return el('tr', { className: job.id === selected ? 'selected' : '', dataset: { job: job.id, status: job.status, verdict: job.verdict || '' } },
    el('td', {}, el('code', {}, job.id)),
    el('td', {}, el('span', { className: 'status ' + job.status }, job.status)),
    el('td', {}, el('span', { className: 'bar' }, bar), ' ', el('span', { className: 'progress' }, job.progress + '%')),
    el('td', { className: 'verdict-cell' }, verdictBadge(job.verdict, job.verdict_label)),
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
}
function drawJobs(jobs, stored) {
  const rows = jobs.map(jobRow);
  document.getElementById('jobs').replaceChildren(...(rows.length ? rows : [el('tr', {}, el('td', { colSpan: 13, className: 'muted' }, 'No jobs yet.'))]));
  document.getElementById('jobs-shown').textContent = stored > jobs.length ? 'the newest ' + jobs.length + ' of ' + stored : '';
}
async function refresh() {
  try {
    const [jobs, stats] = await Promise.all([getJson('/api/jobs?limit=' + JOBS_PAGE), getJson('/api/stats')]);
    drawTotals(stats.jobs.total, stats.total);
    drawDeliveries(stats.series);
    drawStatuses(stats.jobs);
    drawJobs(jobs.data, stats.jobs.total);
    await Promise.all([refreshTimeline(), refreshInbox()]);
  } catch (error) {
    console.error(error);
  }
}
// The next refresh is scheduled once this one has finished: never two in flight.
async function refreshLoop() {
  await refresh();
  setTimeout(refreshLoop, REFRESH_MS);
}
document.getElementById('jobs').addEventListener('click', (event) => {
  const row = event.target.closest('tr[data-job]');
  if (row && !event.target.closest('a')) openTimeline(row.dataset.job);
});
`;
