// The inspector's one static page (HTML, CSS and plain browser JS; no build step). Data comes from /api/*.
import { pageScript } from "./page-script.js";
import { pageStyle } from "./page-style.js";
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
${pageStyle}</style>
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
${pageScript}</script>
</body>
</html>
`;
