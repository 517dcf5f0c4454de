#!/usr/bin/env node
// Entry point for the `redgreen` command: loads the compiled CLI.
import { setFlagsFromString } from "node:v8";

// V8 favours memory over speed: measured on the generated 1,000-test vitest suite (REDGREEN_TIMINGS, load 7-8), peak RSS
// 226-227 -> 201-204 MB, for TypeScript checks about a fifth slower (1.45-1.51 -> 1.74-1.94 s at that load).
// Set here, before the CLI's modules load, so one process does the work (a re-exec would hide it from RSS measurements).
setFlagsFromString("--optimize-for-size");
// A one-shot command does not live long enough for V8's optimizing compiler to pay off, and its compilations held
// memory the process kept: `redgreen run` on the generated 20,000-test vitest suite peaked at 224-226 MB with it and at
// 204-206 MB without (1,000 tests: 202-203 -> 190 MB), for the same CPU time (77 s either way at 20k). The long-lived
// commands (the REPL, the inspector's and the MCP servers) answer many checks in one process and keep it.
const LONG_LIVED = new Set(["chat", "inspect", "mcp"]);
const command = process.argv.slice(2).find((a) => a !== "--no-color");
if (!LONG_LIVED.has(command ?? "")) setFlagsFromString("--no-opt");

import("../dist/src/cli/main.js")
  .then((m) => m.main(process.argv.slice(2)))
  .catch((err) => {
    process.stderr.write(`redgreen: could not start (${err && err.message ? err.message : err}); run \`npm run build\` first\n`);
    process.exit(2);
  });
