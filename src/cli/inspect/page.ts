// The inspector's one static page (HTML, CSS and plain browser JS; no build step). Data comes from /api/*.
export interface InspectorPageOptions {
  /** Mermaid is installed: the page loads it from /assets/mermaid.min.js; otherwise it shows the server's SVG drawing. */
  mermaid: boolean;
}

/** Served at `/`; needs no network either way (Mermaid comes from the inspector itself, or is not used). */
export const inspectorPage = (options: InspectorPageOptions): string => String.raw`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>redgreen inspector</title>
<style>
  :root { --green: #2b8a3e; --red: #c92a2a; --muted: #666; --line: #ddd; }
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
  .badge.rolled_back, .badge.rejected, .badge.failed, .badge.error, .badge.stuck, .badge.max_iterations { background: #ffe3e3; color: var(--red); }
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
</style>
</head>
<body>
<header>
  <h1>redgreen inspector</h1>
  <label>Workflow <select id="workflow"></select></label>
  <span id="summary"></span>
</header>
<div id="error" role="alert"></div>
<main>
  <section id="stop-panel" class="wide">
    <h2>Why it stopped</h2>
    <div><span id="stop-status" class="badge"></span> <span id="stop-reason"></span></div>
    <ul id="notes"></ul>
  </section>
  <section id="graph-panel">
    <h2>Graph <span class="muted">(green: path taken, yellow: next node)</span></h2>
    <div id="graph" aria-label="workflow graph"></div>
  </section>
  <section id="timeline-panel">
    <h2>Checkpoints</h2>
    <div id="timeline-wrap">
      <table id="timeline">
        <thead><tr><th>step</th><th>node</th><th>next</th><th>iteration</th><th>time</th><th>tests</th><th>cov.</th></tr></thead>
        <tbody></tbody>
      </table>
    </div>
  </section>
  <section id="checkpoint-panel" class="wide">
    <h2>Checkpoint <span id="checkpoint-title" class="muted">(click one in the list)</span></h2>
    <div class="cols">
      <div><h3>State</h3><pre id="state"></pre></div>
      <div><h3>Changes from the previous checkpoint</h3><div class="scroll">
        <table id="diff"><thead><tr><th>path</th><th>before</th><th>after</th></tr></thead><tbody></tbody></table>
      </div></div>
    </div>
    <div id="fork-box">
      <h3>Fork and replay from this checkpoint</h3>
      <p class="muted">Copies this checkpoint into a new workflow, applies the state changes below (JSON, e.g. {"maxIterations": 2}),
        puts project files back to their content at this point, and runs the workflow on from here.</p>
      <textarea id="fork-patch">{}</textarea>
      <button id="fork-button" disabled>Fork and replay</button>
      <span id="fork-result"></span>
    </div>
  </section>
  <section id="chart-panel">
    <h2>Tests and coverage per iteration</h2>
    <div id="chart"></div>
  </section>
  <section id="fixes-panel">
    <h2>Fixes and their validation</h2>
    <div id="fixes"></div>
  </section>
  <section id="llm-panel" class="wide">
    <h2>Model calls <span class="muted">(prompts and answers as stored: secrets redacted)</span></h2>
    <div id="llm-calls"></div>
  </section>
  <section id="log-panel" class="wide">
    <h2>Agent log</h2>
    <div id="log-wrap">
      <table id="log"><thead><tr><th>time</th><th>phase</th><th>action</th><th>status</th><th>ms</th></tr></thead><tbody></tbody></table>
    </div>
  </section>
</main>
${options.mermaid ? '<script src="/assets/mermaid.min.js"></script>' : ""}
<script>
"use strict";
var current = { workflowId: null, checkpointId: null, view: null, renders: 0 };

function el(tag, attrs, children) {
  var node = document.createElement(tag);
  Object.keys(attrs || {}).forEach(function (k) {
    if (k === "text") node.textContent = attrs[k];
    else if (k === "className") node.className = attrs[k];
    else node.setAttribute(k, attrs[k]);
  });
  (children || []).forEach(function (c) { node.appendChild(typeof c === "string" ? document.createTextNode(c) : c); });
  return node;
}
function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); return node; }
function showError(message) { document.getElementById("error").textContent = message || ""; }
// The per-start token comes in the URL the inspector printed; it is kept for this tab and taken out of the address bar.
var token = (function () {
  var params = new URLSearchParams(location.search);
  if (params.get("token")) {
    sessionStorage.setItem("redgreen-token", params.get("token"));
    params.delete("token");
    var rest = params.toString();
    history.replaceState(null, "", location.pathname + (rest ? "?" + rest : "") + location.hash);
  }
  return sessionStorage.getItem("redgreen-token");
})();
function api(path, options) {
  if (!token) return Promise.reject(new Error("no access token: open the inspector with the URL redgreen inspect printed (it ends in ?token=...)"));
  options = options || {};
  var headers = Object.assign({}, options.headers || {}, { "X-Redgreen-Token": token });
  return fetch(path, Object.assign({}, options, { headers: headers })).then(function (res) {
    return res.json().then(function (body) {
      if (!res.ok) throw new Error(body.error || ("HTTP " + res.status));
      return body;
    });
  });
}
function shortJson(value, max) {
  var text = value === undefined ? "" : JSON.stringify(value);
  max = max || 240;
  return text.length > max ? text.slice(0, max) + " …" : text;
}
function time(iso) { return iso ? new Date(iso).toLocaleTimeString() : ""; }

// Without the optional mermaid package the server sends its own SVG drawing (built and escaped on the server).
var hasMermaid = typeof mermaid !== "undefined";
if (hasMermaid) mermaid.initialize({ startOnLoad: false, securityLevel: "strict", theme: "default", flowchart: { useMaxWidth: true } });
function renderGraph(drawing) {
  current.renders += 1;
  var target = document.getElementById("graph");
  if (!hasMermaid || drawing.svg) {
    target.innerHTML = drawing.svg || "";
    target.dataset.rendered = String(current.renders);
    return Promise.resolve();
  }
  return mermaid.render("graph-svg-" + current.renders, drawing.mermaid).then(function (out) {
    target.innerHTML = out.svg;
    target.dataset.rendered = String(current.renders);
  }, function (err) { target.textContent = "could not draw the graph: " + err; });
}

function renderTimeline(timeline) {
  var body = clear(document.querySelector("#timeline tbody"));
  timeline.forEach(function (e) {
    var tests = e.counts ? (e.counts.passed + " passed, " + e.counts.failing + " failing") : "";
    var row = el("tr", { "data-checkpoint": e.checkpointId, "data-step": String(e.step) }, [
      el("td", { text: String(e.step) }),
      el("td", { text: e.node || e.source }),
      el("td", { text: e.next.join(", ") || "end" }),
      el("td", { text: e.iteration === null ? "" : String(e.iteration) }),
      el("td", { text: time(e.createdAt) }),
      el("td", { text: tests }),
      el("td", { text: e.counts && e.counts.coverage !== null ? e.counts.coverage.toFixed(1) + "%" : "" }),
    ]);
    row.addEventListener("click", function () { selectCheckpoint(e.checkpointId); });
    body.appendChild(row);
  });
}

function renderChart(series) {
  var box = clear(document.getElementById("chart"));
  if (series.length === 0) { box.appendChild(el("p", { className: "muted", text: "no test run yet" })); return; }
  var W = 520, H = 230, left = 40, right = 44, top = 14, bottom = 34;
  var maxTests = Math.max.apply(null, series.map(function (s) { return s.passed + s.failing; }).concat([1]));
  var slot = (W - left - right) / series.length, bar = Math.min(46, slot * 0.6);
  var ns = "http://www.w3.org/2000/svg";
  function svg(tag, attrs, text) {
    var n = document.createElementNS(ns, tag);
    Object.keys(attrs).forEach(function (k) { n.setAttribute(k, attrs[k]); });
    if (text !== undefined) n.textContent = text;
    return n;
  }
  var root = svg("svg", { viewBox: "0 0 " + W + " " + H, width: W, height: H, role: "img", "aria-label": "tests and coverage per iteration" });
  var plotH = H - top - bottom;
  root.appendChild(svg("line", { x1: left, y1: H - bottom, x2: W - right, y2: H - bottom, stroke: "#999" }));
  root.appendChild(svg("text", { x: 4, y: top + 4, "font-size": 10, fill: "#666" }, String(maxTests)));
  root.appendChild(svg("text", { x: W - right + 6, y: top + 4, "font-size": 10, fill: "#1c7ed6" }, "100%"));
  var points = [];
  series.forEach(function (s, i) {
    var x = left + slot * i + (slot - bar) / 2;
    var hp = plotH * s.passed / maxTests, hf = plotH * s.failing / maxTests;
    var g = svg("g", { "class": "iteration", "data-iteration": String(s.iteration) });
    g.appendChild(svg("rect", { x: x, y: H - bottom - hp, width: bar, height: hp, fill: "#51cf66" }, undefined));
    g.appendChild(svg("rect", { x: x, y: H - bottom - hp - hf, width: bar, height: hf, fill: "#ff6b6b" }, undefined));
    g.appendChild(svg("text", { x: x + bar / 2, y: H - bottom + 14, "font-size": 11, "text-anchor": "middle" }, "iter " + s.iteration));
    g.appendChild(svg("text", { x: x + bar / 2, y: H - bottom - hp - hf - 3, "font-size": 10, "text-anchor": "middle" }, s.passed + "/" + (s.passed + s.failing)));
    g.appendChild(svg("title", {}, "iteration " + s.iteration + ": " + s.passed + " passed, " + s.failing + " failing" + (s.coverage === null ? "" : ", coverage " + s.coverage.toFixed(1) + "%")));
    root.appendChild(g);
    if (s.coverage !== null) points.push([x + bar / 2, H - bottom - plotH * s.coverage / 100, s.coverage]);
  });
  if (points.length > 0) {
    root.appendChild(svg("polyline", { points: points.map(function (p) { return p[0] + "," + p[1]; }).join(" "), fill: "none", stroke: "#1c7ed6", "stroke-width": 2 }));
    points.forEach(function (p) {
      root.appendChild(svg("circle", { cx: p[0], cy: p[1], r: 3, fill: "#1c7ed6" }));
      root.appendChild(svg("text", { x: p[0] + 5, y: p[1] - 4, "font-size": 10, fill: "#1c7ed6" }, p[2].toFixed(0) + "%"));
    });
  }
  box.appendChild(root);
  box.appendChild(el("p", { className: "muted", text: "bars: passed (green) and failing (red) tests; line: coverage" }));
}

function diffPre(diff) {
  var pre = el("pre", {});
  diff.split("\n").forEach(function (line) {
    var cls = line.indexOf("+++") === 0 || line.indexOf("---") === 0 ? "" : line[0] === "+" ? "diff-add" : line[0] === "-" ? "diff-del" : line.indexOf("@@") === 0 ? "diff-hunk" : "";
    pre.appendChild(el("span", { className: cls, text: line + "\n" }));
  });
  return pre;
}

function renderFixes(fixes) {
  var box = clear(document.getElementById("fixes"));
  if (fixes.length === 0) { box.appendChild(el("p", { className: "muted", text: "no fix was tried" })); return; }
  fixes.forEach(function (f) {
    box.appendChild(el("div", { className: "fix" }, [
      el("div", {}, [
        el("span", { className: "badge " + f.status, text: f.status.replace("_", " ") }), " ",
        el("strong", { text: f.file }), " ",
        el("span", { className: "muted", text: "iteration " + f.iteration + " · " + f.source + " · " + f.strategy + " · risk " + f.risk }),
      ]),
      el("div", { className: "muted", text: f.reason }),
      f.rule ? el("div", { className: "rule" }, [el("strong", { text: "rule " + f.rule }),
        el("ul", {}, (f.evidence || []).map(function (e) { return el("li", { text: e }); }))]) : "",
      diffPre(f.diff || "(no diff)"),
    ]));
  });
}

function renderLog(logs) {
  var body = clear(document.querySelector("#log tbody"));
  logs.forEach(function (l) {
    body.appendChild(el("tr", {}, [
      el("td", { text: time(l.createdAt) }),
      el("td", { text: l.phase }),
      el("td", { text: l.action + (l.errorMessage ? ": " + l.errorMessage : "") }),
      el("td", {}, [el("span", { className: "badge " + l.status, text: l.status })]),
      el("td", { text: l.durationMs === null || l.durationMs === undefined ? "" : String(Math.round(l.durationMs)) }),
    ]));
  });
}

function renderStop(view) {
  var stop = view.stop;
  var badge = document.getElementById("stop-status");
  badge.className = "badge " + stop.status;
  badge.textContent = stop.status.replace("_", " ");
  document.getElementById("stop-reason").textContent = stop.reason ||
    (view.replay && view.replay.status === "running" ? "replaying…" :
      stop.status === "running" ? "no stop reason recorded: the workflow is still running, or ended before its report step" +
        " (redgreen resume continues it)" : "no reason recorded");
  var notes = clear(document.getElementById("notes"));
  stop.notes.forEach(function (n) { notes.appendChild(el("li", { text: n })); });
}

function tokensText(c) {
  return (c.promptTokens + c.completionTokens) + " tokens (" + c.promptTokens + " prompt, " + c.completionTokens + " answer" +
    (c.tokensEstimated ? ", estimated" : "") + ")";
}

// Every model text goes in with textContent: a hostile answer is shown as text, never parsed as markup.
function renderModelCalls(calls) {
  var box = clear(document.getElementById("llm-calls"));
  if (calls.length === 0) { box.appendChild(el("p", { className: "muted", text: "no model call was made" })); return; }
  calls.forEach(function (c) {
    box.appendChild(el("details", { className: "call", "data-call": String(c.id) }, [
      el("summary", {}, [
        el("span", { className: "badge " + c.outcome, text: c.outcome.replace("_", " ") }), " ",
        el("strong", { text: c.purpose + (c.nodeId ? " · " + c.nodeId : "") }), " ",
        el("span", { className: "muted", text: time(c.createdAt) + " · " + c.model + " · attempt " + c.attempt + " · " +
          Math.round(c.latencyMs) + " ms · " + tokensText(c) }),
      ]),
      c.error ? el("div", { className: "muted call-error", text: c.error }) : "",
      el("h4", { text: "prompt" }), el("pre", { className: "prompt", text: c.prompt === null ? "(not stored)" : c.prompt }),
      el("h4", { text: "answer" }), el("pre", { className: "answer", text: c.completion === null ? "(no answer)" : c.completion }),
    ]));
  });
}

function renderSummary(view) {
  var w = view.workflow, last = view.series.length ? view.series[view.series.length - 1] : null;
  // An ended-in-error run names its cause (a dead model, a runner that cannot run) next to the status.
  var cause = w.status === "error" && view.state && view.state.statusReason ? " (" + view.state.statusReason + ")" : "";
  var text = w.status + cause + " · " + w.iterations + " iteration(s) · " + view.fixes.filter(function (f) { return f.status === "kept"; }).length + " fix(es) kept" +
    (last ? " · " + last.passed + " passed, " + last.failing + " failing" : "") + " · " + w.projectPath;
  if (view.forkedFrom) text += " · " + view.forkedFrom;
  if (view.replay && view.replay.status === "running") text += " · replaying…";
  if (view.replay && view.replay.status === "error") text += " · replay failed: " + view.replay.error;
  document.getElementById("summary").textContent = text;
  document.body.dataset.workflow = w.id;
  document.body.dataset.status = w.status;
  renderStop(view);
  updateOption(w);
}
function updateOption(w) {
  var option = document.querySelector('#workflow option[value="' + CSS.escape(w.id) + '"]');
  if (option) option.textContent = optionText(w);
}

function loadWorkflow(id, keepCheckpoint) {
  current.workflowId = id;
  return api("/api/workflows/" + encodeURIComponent(id)).then(function (view) {
    current.view = view;
    renderSummary(view);
    renderTimeline(view.timeline);
    renderChart(view.series);
    renderFixes(view.fixes);
    renderLog(view.logs);
    renderModelCalls(view.llmCalls);
    if (view.replay && view.replay.status === "running") watchReplay(id);
    var pick = keepCheckpoint && current.checkpointId;
    if (pick && view.timeline.some(function (e) { return e.checkpointId === pick; })) return selectCheckpoint(pick);
    current.checkpointId = null;
    clear(document.getElementById("state"));
    clear(document.querySelector("#diff tbody"));
    document.getElementById("checkpoint-title").textContent = "(click one in the list)";
    document.getElementById("fork-button").disabled = true;
    return renderGraph(view);
  }).then(function () { document.body.dataset.loaded = id; }, function (e) { showError(e.message); });
}

function selectCheckpoint(checkpointId) {
  current.checkpointId = checkpointId;
  Array.prototype.forEach.call(document.querySelectorAll("#timeline tbody tr"), function (row) {
    row.classList.toggle("selected", row.dataset.checkpoint === checkpointId);
  });
  return api("/api/workflows/" + encodeURIComponent(current.workflowId) + "/checkpoints/" + encodeURIComponent(checkpointId)).then(function (cp) {
    var e = cp.entry;
    document.getElementById("checkpoint-title").textContent = "step " + e.step + " · after " + (e.node || e.source) + " · next " + (e.next.join(", ") || "end") + " · " + (e.createdAt || "");
    document.getElementById("state").textContent = JSON.stringify(cp.values, null, 2);
    var body = clear(document.querySelector("#diff tbody"));
    if (cp.diff.length === 0) body.appendChild(el("tr", {}, [el("td", { colspan: "3", className: "muted", text: "no change" })]));
    cp.diff.forEach(function (d) {
      body.appendChild(el("tr", { className: d.kind }, [
        el("td", { className: "path", text: d.path }),
        el("td", { className: "value", text: shortJson(d.before) }),
        el("td", { className: "value", text: shortJson(d.after) }),
      ]));
    });
    document.getElementById("fork-button").disabled = !cp.forkable;
    document.body.dataset.checkpoint = checkpointId;
    return renderGraph(cp);
  }, function (err) { showError(err.message); });
}

// A replaying fork is polled once a second (one poll chain per workflow) until its replay ends; then its final
// status shows in the summary, the stop panel and the workflow list, whichever workflow is on screen.
var polling = {};
function watchReplay(id) {
  if (polling[id]) return;
  polling[id] = true;
  setTimeout(function () { pollReplay(id); }, 1000);
}
function pollReplay(id) {
  api("/api/workflows/" + encodeURIComponent(id)).then(function (view) {
    updateOption(view.workflow);
    if (current.workflowId === id) { current.view = view; renderSummary(view); renderTimeline(view.timeline); }
    if (view.replay && view.replay.status === "running") { setTimeout(function () { pollReplay(id); }, 1000); return; }
    delete polling[id];
    if (current.workflowId === id) loadWorkflow(id, false).then(function () { document.body.dataset.replayed = id; });
  }, function (e) { delete polling[id]; showError(e.message); });
}

document.getElementById("fork-button").addEventListener("click", function () {
  var patch;
  try { patch = JSON.parse(document.getElementById("fork-patch").value || "{}"); }
  catch (e) { showError("the state changes are not valid JSON: " + e.message); return; }
  showError("");
  var button = document.getElementById("fork-button");
  button.disabled = true;
  api("/api/workflows/" + encodeURIComponent(current.workflowId) + "/fork", {
    method: "POST", headers: { "content-type": "application/json" },
    body: JSON.stringify({ checkpointId: current.checkpointId, patch: patch }),
  }).then(function (fork) {
    document.getElementById("fork-result").textContent = "forked into " + fork.workflowId + " (next: " + fork.next.join(", ") + ")" +
      (fork.restoredFiles.length ? "; restored " + fork.restoredFiles.join(", ") : "") + (fork.replaying ? "; replaying…" : "");
    document.body.dataset.forked = fork.workflowId;
    return loadWorkflows(fork.workflowId).then(function () { if (fork.replaying) watchReplay(fork.workflowId); });
  }, function (e) { showError(e.message); button.disabled = false; });
});

function optionText(w) { return w.createdAt.replace("T", " ").slice(0, 19) + " · " + w.status + " · " + w.id.slice(0, 8); }

function loadWorkflows(selectId) {
  return api("/api/workflows").then(function (data) {
    var select = clear(document.getElementById("workflow"));
    data.workflows.forEach(function (w) {
      select.appendChild(el("option", { value: w.id, text: optionText(w) }));
    });
    var wanted = selectId || new URLSearchParams(location.search).get("workflow") || data.initial;
    if (!wanted) { showError("no workflow in this database yet: run redgreen run first"); return; }
    select.value = wanted;
    return loadWorkflow(wanted, false);
  }, function (e) { showError(e.message); });
}

document.getElementById("workflow").addEventListener("change", function (ev) { loadWorkflow(ev.target.value, false); });
loadWorkflows(null);
</script>
</body>
</html>
`;
