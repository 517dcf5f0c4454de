#!/usr/bin/env node
// Entry point for the `redgreen` command: loads the compiled CLI.
import("../dist/src/cli/main.js").then((m) => m.main(process.argv.slice(2))).catch((err) => {
  process.stderr.write(`redgreen: could not start (${err && err.message ? err.message : err}); run \`npm run build\` first\n`);
  process.exit(2);
});
