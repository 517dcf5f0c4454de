// `npm run build`'s second step: bundles the compiled CLI (dist/src/cli/main.js) into dist/bundle/, what bin/redgreen.js loads.
//
// Node's start-up of the unbundled CLI spent most of its time opening and compiling ~1,000 module files (LangChain,
// LangGraph, zod, execa, the MCP SDK) before `redgreen run` could start its first test run; one bundle cut that phase
// from 0.40 s to 0.18 s on an idle machine (BENCHMARKS "workflow-scale, session 29: the CLI bundle").
// Chunks are split at every dynamic import, so what a command loads lazily (a model client, the workflow graph, a
// command's own modules) still loads only when used. Left outside: the native SQLite binding, the packages redgreen
// resolves at run time rather than imports (typescript, loaded on first use; mermaid's file, served by the inspector).
import { build } from "esbuild";
import { rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const outdir = `${root}dist/bundle`;

rmSync(outdir, { recursive: true, force: true });
const result = await build({
  absWorkingDir: root,
  entryPoints: { main: "dist/src/cli/main.js" },
  outdir,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  external: ["better-sqlite3", "typescript", "mermaid"],
  // Bundled CommonJS modules call require(); an ES module has none of its own.
  banner: { js: 'import { createRequire as __redgreenRequire } from "node:module"; const require = __redgreenRequire(import.meta.url);' },
  // Read only with REDGREEN_DEBUG=1 (bin/redgreen.js turns source maps on then): its stack traces name src/*.ts lines.
  sourcemap: "linked",
  metafile: true,
  logLevel: "error",
});
// Which package went into which chunk (test/cli/lazy-modules.test.ts reads it to tell what a command loaded).
writeFileSync(`${outdir}/meta.json`, JSON.stringify(result.metafile));
