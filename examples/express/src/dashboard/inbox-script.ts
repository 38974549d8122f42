/**
 * The page script of the inbox panel (PROCESSING=inbox only; hidden when GET /api/inbox answers
 * 404): depth, oldest pending age, retrying, and the dead letters with a Replay button each.
 */
export const INBOX_SCRIPT = `
const age = (ms) => (ms === null ? '-' : ms < 1000 ? Math.round(ms) + ' ms' : (ms / 1000).toFixed(1) + ' s');
function deadRow(d) {
  const button = el('button', { type: 'button', dataset: { replay: d.event_id } }, 'Replay');
  button.addEventListener('click', () => replay(d.event_id, button));
  return el('tr', { dataset: { dead: d.event_id } },
    el('td', {}, el('code', {}, d.event_id)), el('td', {}, d.type || ''), el('td', {}, el('code', {}, d.job_id || '')),
    el('td', {}, String(d.attempts)), el('td', {}, time(d.updated_at)), el('td', { className: 'error' }, d.last_error || ''), el('td', {}, button));
}
async function refreshInbox() {
  const panel = document.getElementById('inbox');
  const inbox = await getJson('/api/inbox');
  panel.hidden = !inbox;
  if (!inbox) return;
  const s = inbox.stats;
  document.getElementById('inbox-stats').replaceChildren(
    ...[['pending', s.pending], ['oldest pending', age(s.oldest_pending_ms)], ['retrying', s.retrying], ['processing', s.processing], ['dead', s.dead], ['done', s.done]]
      .map(([label, value]) => el('div', { dataset: { inboxStat: label } }, el('b', {}, String(value)), label)),
  );
  const rows = inbox.dead.map(deadRow);
  document.getElementById('dead-letters').replaceChildren(...(rows.length ? rows : [el('tr', {}, el('td', { colSpan: 7, className: 'muted' }, 'No dead letters.'))]));
}
async function replay(eventId, button) {
  button.disabled = true;
  const res = await fetch('/api/inbox/' + encodeURIComponent(eventId) + '/replay', { method: 'POST' });
  const body = await res.json().catch(() => ({}));
  const message = document.getElementById('inbox-message');
  message.textContent = res.ok ? 'Replayed ' + eventId + ' (was ' + body.previous_status + ').' : 'Replay failed: ' + (body.message || res.status);
  message.dataset.result = res.ok ? 'replayed' : 'error';
  await refreshInbox();
}
`;
