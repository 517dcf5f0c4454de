// The inspector page's stylesheet (served inline in its one page).
export const pageStyle = String.raw`  :root { --green: #2b8a3e; --red: #c92a2a; --muted: #666; --line: #ddd; }
  * { box-sizing: border-box; }
  body { font-family: system-ui, sans-serif; margin: 0; color: #222; background: #fafafa; font-size: 14px; }
  header { display: flex; gap: 1rem; align-items: center; padding: .6rem 1rem; background: #1f2937; color: #fff; }
  header h1 { font-size: 1.1rem; margin: 0; }
  header select { max-width: 28rem; }
  #summary { color: #d1d5db; }
  main { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1.2fr); gap: 1rem; padding: 1rem; }
  section { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: .6rem .9rem; min-width: 0; }
  section.wide { grid-column: 1 / -1; }
  h2 { font-size: 1rem; margin: .2rem 0 .6rem; }
  h3 { font-size: .9rem; margin: .4rem 0; }
  table { border-collapse: collapse; width: 100%; }
  th, td { text-align: left; padding: 3px 6px; border-bottom: 1px solid #eee; vertical-align: top; }
  th { color: var(--muted); font-weight: 600; }
  #timeline tbody tr { cursor: pointer; }
  #timeline tbody tr:hover { background: #f1f3f5; }
  #timeline tbody tr.selected { background: #fff3bf; }
  #timeline-wrap { max-height: 420px; overflow: auto; }
  #graph svg { max-width: 100%; height: auto; }
  pre { background: #f6f8fa; padding: .6rem; overflow: auto; max-height: 420px; margin: 0; font-size: 12px; }
  .cols { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1.3fr); gap: 1rem; }
  .scroll { max-height: 420px; overflow: auto; }
  .badge { display: inline-block; padding: 0 6px; border-radius: 8px; font-size: 12px; background: #e9ecef; }
  .badge.kept, .badge.passed, .badge.success { background: #d3f9d8; color: var(--green); }
  .badge.rolled_back, .badge.rejected, .badge.failed, .badge.error, .badge.stuck, .badge.max_iterations {
    background: #ffe3e3; color: var(--red);
  }
  .diff-add { color: var(--green); } .diff-del { color: var(--red); } .diff-hunk { color: #1c7ed6; }
  #diff td.path { font-family: ui-monospace, monospace; white-space: nowrap; }
  #diff td.value { font-family: ui-monospace, monospace; font-size: 12px; overflow-wrap: anywhere; max-width: 24rem; }
  tr.added td.path { color: var(--green); } tr.removed td.path { color: var(--red); }
  .fix { border-top: 1px solid #eee; padding: .4rem 0; }
  .muted { color: var(--muted); }
  textarea { width: 100%; font-family: ui-monospace, monospace; min-height: 3.2rem; }
  button { padding: .3rem .8rem; cursor: pointer; }
  #error { color: var(--red); padding: 0 1rem; }
  #log-wrap { max-height: 360px; overflow: auto; }
  #stop-reason { font-size: 1rem; margin: .3rem 0; }
  #notes li { margin: .2rem 0; }
  .call { border-top: 1px solid #eee; padding: .4rem 0; }
  .call summary { cursor: pointer; }
  .call h4 { font-size: .8rem; margin: .5rem 0 .2rem; color: var(--muted); }
  .call pre { white-space: pre-wrap; overflow-wrap: anywhere; max-height: 320px; }
  .badge.proposal { background: #d3f9d8; color: var(--green); }
  .badge.invalid_answer, .badge.rate_limited, .badge.server_error, .badge.timeout, .badge.connection {
    background: #ffe3e3; color: var(--red);
  }
`;
