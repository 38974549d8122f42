/**
 * The page script of the timeline panel: a job's verdict, the sender's own view of its deliveries
 * and every delivery attempt, poll and reconciliation we saw (GET /api/jobs/:id/timeline).
 */
export const TIMELINE_SCRIPT = `
let selected = null;
const ms = (n) => (n === null || n === undefined ? '' : n + ' ms');
function senderFacts(s) {
  if (!s) return [el('div', { className: 'muted' }, "No reading of the sender's view yet.")];
  return [
    ['from', s.source + ' at ' + time(s.read_at)], ['total attempts', s.total_attempts], ['pending retries', s.pending_retries],
    ['next retry', time(s.next_retry_at) || '-'], ['last attempt', s.last_attempt_status || '-'],
    ['last response status', s.last_response_status === null ? 'none' : s.last_response_status], ['last error', s.last_error_message || '-'],
  ].map(([label, value]) => el('div', { dataset: { sender: label } }, el('span', { className: 'muted' }, label + ': '), String(value ?? '-')));
}
function entryRow(e) {
  if (e.kind === 'delivery') {
    const attempt = e.attempt === null ? '' : e.attempt + (e.max_attempts ? ' of ' + e.max_attempts : '');
    return el('tr', { dataset: { kind: 'delivery', outcome: e.outcome, status: String(e.status) } },
      el('td', {}, time(e.at)), el('td', {}, 'delivery'), el('td', {}, e.event_type || ''), el('td', {}, attempt),
      el('td', {}, e.status + ' ' + e.outcome + (e.queued ? ' (queued)' : '') + (e.reconciled ? ', reconciled' : '')),
      el('td', {}, ms(e.latency_ms)), el('td', { className: 'error' }, e.error || ''));
  }
  const read = e.ok ? (e.status || '') + (e.progress === null ? '' : ' ' + e.progress + '%') : '';
  const times = e.repeat > 1 ? ' (x' + e.repeat + ' until ' + time(e.last_at) + ')' : '';
  const sender = e.sender && e.sender.last_response_status !== null ? 'sender: last answer ' + e.sender.last_response_status + ', ' + e.sender.pending_retries + ' pending' : '';
  return el('tr', { dataset: { kind: e.kind } },
    el('td', {}, time(e.at)), el('td', {}, e.kind + times), el('td', {}, read), el('td', {}, ''), el('td', { className: 'muted' }, sender),
    el('td', {}, ''), el('td', { className: 'error' }, e.error || ''));
}
async function refreshTimeline() {
  const panel = document.getElementById('timeline');
  if (!selected) return void (panel.hidden = true);
  const t = await getJson('/api/jobs/' + encodeURIComponent(selected) + '/timeline');
  if (!t) return void (panel.hidden = true);
  panel.hidden = false;
  panel.dataset.job = t.job_id;
  document.getElementById('timeline-job').textContent = t.job_id + ' (' + t.status + ', from ' + t.source + ')';
  document.getElementById('timeline-verdict').replaceChildren(verdictBadge(t.verdict, t.verdict_label));
  document.getElementById('sender').replaceChildren(...senderFacts(t.sender));
  const rows = t.entries.slice().reverse().map(entryRow);
  document.getElementById('timeline-entries').replaceChildren(...(rows.length ? rows : [el('tr', {}, el('td', { colSpan: 7, className: 'muted' }, 'Nothing seen yet.'))]));
}
function openTimeline(id) {
  selected = id;
  for (const row of document.querySelectorAll('#jobs tr[data-job]')) row.classList.toggle('selected', row.dataset.job === id);
  refreshTimeline().catch((error) => console.error(error));
}
document.getElementById('timeline-close').addEventListener('click', () => {
  selected = null;
  document.getElementById('timeline').hidden = true;
});
`;
