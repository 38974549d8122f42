/**
 * The page script of the two charts, drawn as inline SVG: deliveries per minute by outcome over
 * the last hour (stacked bars, from /api/stats `series`) and jobs by status (from /api/stats
 * `jobs`: the store's counts of every job, not only the page the table shows). Every
 * bar carries its count in `data-count`, and each chart its totals, for tests and tooltips.
 */
export const CHARTS_SCRIPT = `
const SVG = 'http://www.w3.org/2000/svg';
const OUTCOMES = [['processed', '#16a34a'], ['duplicate', '#9ca3af'], ['in_flight', '#f59e0b'], ['rejected', '#dc2626'], ['failed', '#7c3aed']];
const STATUSES = [['queued', '#f59e0b'], ['processing', '#2563eb'], ['completed', '#16a34a'], ['failed', '#dc2626'], ['cancelled', '#6b7280'], ['expired', '#9f1239']];
const svg = (tag, attrs = {}, ...children) => {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, String(value));
  for (const child of children) node.append(child);
  return node;
};
const tip = (text) => svg('title', {}, text);
function minuteBar(bucket, i, scale, height) {
  const total = OUTCOMES.reduce((sum, [o]) => sum + bucket[o], 0);
  const group = svg('g', { 'data-minute': bucket.minute, 'data-total': total });
  let y = height;
  for (const [outcome, color] of OUTCOMES) {
    if (!bucket[outcome]) continue;
    const h = Math.max(1, bucket[outcome] * scale);
    y -= h;
    group.append(svg('rect', { x: i * 12, y, width: 10, height: h, fill: color, 'data-outcome': outcome, 'data-count': bucket[outcome] },
      tip(new Date(bucket.minute).toLocaleTimeString() + ': ' + bucket[outcome] + ' ' + outcome)));
  }
  return group;
}
function drawDeliveries(series) {
  const height = 120;
  const max = Math.max(1, ...series.map((b) => OUTCOMES.reduce((sum, [o]) => sum + b[o], 0)));
  const chart = svg('svg', { width: series.length * 12, height: height + 16, 'data-chart': 'deliveries', role: 'img' },
    svg('line', { x1: 0, y1: height + 0.5, x2: series.length * 12, y2: height + 0.5, stroke: '#d1d5db' }),
    ...series.map((bucket, i) => minuteBar(bucket, i, height / max, height)),
    svg('text', { x: 0, y: height + 13, 'font-size': 10, fill: '#6b7280' }, '-60 min'),
    svg('text', { x: series.length * 12 - 24, y: height + 13, 'font-size': 10, fill: '#6b7280' }, 'now'));
  for (const [outcome] of OUTCOMES) chart.setAttribute('data-' + outcome.replace('_', '-'), series.reduce((s, b) => s + b[outcome], 0));
  document.getElementById('deliveries-chart').replaceChildren(chart);
  document.getElementById('deliveries-legend').replaceChildren(...OUTCOMES.map(([o, color]) => {
    const swatch = el('i');
    swatch.style.background = color;
    return el('span', { dataset: { outcome: o, count: chart.getAttribute('data-' + o.replace('_', '-')) } }, swatch, o + ' ' + chart.getAttribute('data-' + o.replace('_', '-')));
  }));
}
function drawStatuses(jobs) {
  const counts = Object.fromEntries(STATUSES.map(([s]) => [s, jobs.by_status[s] || 0]));
  const max = Math.max(1, ...Object.values(counts));
  const chart = svg('svg', { width: 320, height: STATUSES.length * 20, 'data-chart': 'statuses', 'data-total': jobs.total, role: 'img' },
    ...STATUSES.map(([status, color], i) => svg('g', {},
      svg('text', { x: 0, y: i * 20 + 13, 'font-size': 12 }, status),
      svg('rect', { x: 80, y: i * 20 + 3, width: Math.max(counts[status] ? 2 : 0, (counts[status] / max) * 200), height: 14, fill: color, 'data-status': status, 'data-count': counts[status] }, tip(counts[status] + ' ' + status)),
      svg('text', { x: 86 + (counts[status] / max) * 200, y: i * 20 + 14, 'font-size': 12, fill: '#374151' }, String(counts[status])))));
  document.getElementById('status-chart').replaceChildren(chart);
}
`;
