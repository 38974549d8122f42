import type { JobState } from '@ai-stats-webhooks/core';
import type { EventRecord } from './app.js';

const escape = (value: unknown): string => String(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A plain server-rendered page that refreshes itself. */
export function renderDashboard(jobs: JobState[], events: EventRecord[]): string {
  const rows = jobs
    .map(
      (job) => `<tr><td><code>${escape(job.id)}</code></td><td>${escape(job.kind)}</td><td>${escape(job.status)}</td>
<td><progress max="100" value="${job.progress}"></progress> ${job.progress}%</td><td>${escape(job.source)}</td>
<td>${job.failure?.message ? escape(job.failure.message) : ''}</td><td>${escape(job.updatedAt)}</td></tr>`,
    )
    .join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="2">
<title>AI Stats jobs</title><style>body{font:14px system-ui,sans-serif;margin:2rem}table{border-collapse:collapse}
td,th{padding:.3rem .6rem;border-bottom:1px solid #ddd;text-align:left}</style></head><body>
<h1>Jobs</h1><p>${jobs.length} jobs · ${events.length} events processed</p>
<table><thead><tr><th>id</th><th>kind</th><th>status</th><th>progress</th><th>source</th><th>error</th><th>updated</th></tr></thead>
<tbody>${rows}</tbody></table></body></html>`;
}
