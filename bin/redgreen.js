#!/usr/bin/env node
// Entry point for the `redgreen` command: loads the bundled CLI (dist/bundle, built by `npm run build`).
import { setFlagsFromString } from "node:v8";

// The long-lived commands (the REPL, the inspector's and the MCP servers) answer many checks in one process: V8 favours
// memory over speed there from the start (measured on the generated 1,000-test vitest suite, REDGREEN_TIMINGS, load 7-8:
// peak RSS 226-227 -> 201-204 MB, for TypeScript checks about a fifth slower). A one-shot command favours speed until
// one of its runs turns out big (src/process/memory-mode.ts sets the same flag then: 1,000 tests about 0.2 s faster,
// 20,000 tests still under 200 MB). Set here, before the CLI's modules load, so one process does the work (a re-exec
// would hide it from RSS measurements).
// A one-shot command does not live long enough for V8's optimizing compiler to pay off, and its compilations held
// memory the process kept: `redgreen run` on the generated 20,000-test vitest suite peaked at 224-226 MB with it and at
// 204-206 MB without (1,000 tests: 202-203 -> 190 MB), for the same CPU time (77 s either way at 20k).
// Nor does a large young generation: V8 grows it (up to 2 x 8 MB here) while the TypeScript program's many long-lived
// objects survive their first collections, and its pages stay resident. Its size is fixed when node starts, but the
// growth factor is read at each growth: 1 keeps it at its starting 1 MB. `redgreen run` on the generated vitest suites
// peaked at 207-209 -> 193-195 MB (20,000 tests; 74-88 s user CPU before, 71-86 s after) and 185-194 -> 178-179 MB (1,000).
const LONG_LIVED = new Set(["chat", "inspect", "mcp"]);
const command = process.argv.slice(2).find((a) => a !== "--no-color");
const flags = LONG_LIVED.has(command ?? "") ? ["--optimize-for-size"] : ["--no-opt", "--semi-space-growth-factor=1"];
for (const flag of flags) setFlagsFromString(flag);
// Noted where src/process/v8-flags.ts keeps the flags set (V8's code cache of the typescript module depends on them).
globalThis[Symbol.for("redgreen.v8-flags")] = flags;

// The stack traces REDGREEN_DEBUG=1 prints name the TypeScript sources, not the bundle's lines.
if (process.env.REDGREEN_DEBUG === "1") process.setSourceMapsEnabled(true);

import("../dist/bundle/main.js")
  .then((m) => m.main(process.argv.slice(2)))
  .catch((err) => {
    process.stderr.write(`redgreen: could not start (${err && err.message ? err.message : err}); run \`npm run build\` first\n`);
    process.exit(2);
  });
