/** The dashboard's style sheet (no framework, no CDN). */
export const DASHBOARD_STYLES = `
  body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5rem; color: #1b1b1f; }
  h1 { font-size: 1.3rem; margin: 0 0 .5rem; }
  h2 { font-size: 1.05rem; margin: 1.2rem 0 .4rem; }
  .totals { display: flex; gap: 1rem; flex-wrap: wrap; margin: .5rem 0 1rem; }
  .totals div { background: #f3f4f6; border-radius: 6px; padding: .4rem .7rem; }
  .totals b { display: block; font-size: 1.1rem; }
  .charts { display: flex; gap: 1.5rem; flex-wrap: wrap; align-items: flex-start; }
  .charts figure { margin: 0; }
  .charts figcaption { font-weight: 600; margin-bottom: .3rem; }
  .legend { display: flex; gap: .8rem; font-size: 12px; margin-top: .2rem; }
  .legend i { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 3px; }
  table { border-collapse: collapse; width: 100%; }
  th, td { padding: .35rem .5rem; border-bottom: 1px solid #e5e7eb; text-align: left; vertical-align: top; }
  th { font-weight: 600; background: #fafafa; }
  #jobs tr[data-job] { cursor: pointer; }
  #jobs tr[data-job]:hover, #jobs tr.selected { background: #f5f8ff; }
  code { font-size: 12px; white-space: nowrap; }
  .status, .verdict { padding: .1rem .45rem; border-radius: 999px; font-size: 12px; background: #e5e7eb; white-space: nowrap; }
  .completed { background: #d1fae5; } .failed, .expired, .cancelled { background: #fee2e2; }
  .processing { background: #dbeafe; } .queued { background: #fef3c7; }
  .v-healthy { background: #d1fae5; } .v-generation_failed { background: #fee2e2; }
  .v-rejected_by_us { background: #fecaca; } .v-delivery_failing { background: #fed7aa; }
  .v-recovered_by_polling { background: #e0e7ff; }
  .bar { width: 120px; height: 8px; background: #e5e7eb; border-radius: 4px; overflow: hidden; display: inline-block; }
  .bar span { display: block; height: 100%; background: #2563eb; }
  .error { color: #b91c1c; }
  .muted { color: #6b7280; }
  .panel { border: 1px solid #e5e7eb; border-radius: 8px; padding: .6rem .9rem; margin: 1rem 0; }
  .panel header { display: flex; gap: 1rem; align-items: center; }
  .sender { display: flex; gap: 1rem; flex-wrap: wrap; font-size: 13px; margin: .4rem 0; }
  .sender div { background: #f9fafb; border-radius: 6px; padding: .25rem .5rem; }
  button { font: inherit; padding: .2rem .6rem; border-radius: 6px; border: 1px solid #9ca3af; background: #fff; cursor: pointer; }
`;
