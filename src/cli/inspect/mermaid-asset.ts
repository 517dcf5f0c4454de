// The Mermaid renderer (the optional `mermaid` package's browser bundle), for pages that work offline; absent, callers
// draw the graph with graph-svg.ts instead.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { escapeMarkup } from "./markup.js";

/** Reads Mermaid's browser bundle: its text, or null when the optional package is not installed. */
export type MermaidBundleReader = () => string | null;

/** Absolute path of mermaid's self-contained browser bundle in node_modules, or null when mermaid is not installed. */
export function mermaidBundlePath(): string | null {
  try {
    return createRequire(import.meta.url).resolve("mermaid/dist/mermaid.min.js");
  } catch {
    return null;
  }
}

/** The installed bundle's text (about 3.5 MB), or null when `npm install --omit=optional` left mermaid out. */
export const readMermaidBundle: MermaidBundleReader = () => {
  const path = mermaidBundlePath();
  return path === null ? null : readFileSync(path, "utf8");
};

/** Text made safe to sit inside an inline <script> element. */
export const inlineScriptText = (js: string): string => js.replace(/<\/(script)/gi, "<\\/$1");

/** A JSON value made safe to embed in an inline <script> element. */
export const inlineJson = (value: unknown): string =>
  JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");

/** A self-contained HTML page rendering one Mermaid diagram, with no network access needed. */
export function mermaidHtmlPage(title: string, mermaid: string, bundle: string): string {
  const escapedTitle = escapeMarkup(title);
  return (
    `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapedTitle}</title>
<style>
  body { font-family: system-ui, sans-serif; margin: 2rem; color: #222; }
  #diagram svg { max-width: 100%; height: auto; }
  #error { color: #c92a2a; white-space: pre-wrap; }
  details pre { background: #f6f8fa; padding: 1rem; overflow: auto; }
</style>
</head>
<body>
<h1>${escapedTitle}</h1>
<div id="diagram" aria-label="diagram">rendering…</div>
<div id="error"></div>
<details><summary>Mermaid source</summary><pre id="source"></pre></details>
<script>${inlineScriptText(bundle)}</script>
<script>
  const source = ${inlineJson(mermaid)};
  document.getElementById("source").textContent = source;
  mermaid.initialize({ startOnLoad: false, securityLevel: "strict", theme: "default" });
  mermaid.render("redgreen-graph", source).then(
    (out) => { document.getElementById("diagram").innerHTML = out.svg; document.body.dataset.rendered = "yes"; },
    (err) => { document.getElementById("diagram").textContent = ""; document.getElementById("error").textContent = String(err); ` +
    `document.body.dataset.rendered = "error"; },
  );
</script>
</body>
</html>
`
  );
}
