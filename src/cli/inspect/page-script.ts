// The inspector page's plain browser JS (no build step): loads /api/* with the per-start token and renders every panel.
// Every model text goes in with textContent, never as markup.
export const pageScript = String.raw`"use strict";
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
  if (!token) {
    return Promise.reject(new Error("no access token: open the inspector with the URL redgreen inspect printed (it ends in ?token=...)"));
  }
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
  var root = svg("svg", {
    viewBox: "0 0 " + W + " " + H, width: W, height: H, role: "img", "aria-label": "tests and coverage per iteration",
  });
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
    var label = { x: x + bar / 2, y: H - bottom - hp - hf - 3, "font-size": 10, "text-anchor": "middle" };
    g.appendChild(svg("text", label, s.passed + "/" + (s.passed + s.failing)));
    var coverage = s.coverage === null ? "" : ", coverage " + s.coverage.toFixed(1) + "%";
    g.appendChild(svg("title", {}, "iteration " + s.iteration + ": " + s.passed + " passed, " + s.failing + " failing" + coverage));
    root.appendChild(g);
    if (s.coverage !== null) points.push([x + bar / 2, H - bottom - plotH * s.coverage / 100, s.coverage]);
  });
  if (points.length > 0) {
    var polyline = points.map(function (p) { return p[0] + "," + p[1]; }).join(" ");
    root.appendChild(svg("polyline", { points: polyline, fill: "none", stroke: "#1c7ed6", "stroke-width": 2 }));
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
    var cls = line.indexOf("+++") === 0 || line.indexOf("---") === 0 ? ""
      : line[0] === "+" ? "diff-add"
      : line[0] === "-" ? "diff-del"
      : line.indexOf("@@") === 0 ? "diff-hunk"
      : "";
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
        el("span", {
          className: "muted",
          text: "iteration " + f.iteration + " · " + f.source + " · " + f.strategy + " · risk " + f.risk,
        }),
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
  var kept = view.fixes.filter(function (f) { return f.status === "kept"; }).length;
  var text = w.status + cause + " · " + w.iterations + " iteration(s) · " + kept + " fix(es) kept" +
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
  var path = "/api/workflows/" + encodeURIComponent(current.workflowId) + "/checkpoints/" + encodeURIComponent(checkpointId);
  return api(path).then(function (cp) {
    var e = cp.entry;
    document.getElementById("checkpoint-title").textContent =
      "step " + e.step + " · after " + (e.node || e.source) + " · next " + (e.next.join(", ") || "end") + " · " + (e.createdAt || "");
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
`;
