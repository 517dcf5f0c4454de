// redgreen's live-progress reporter for jest 30: appends one JSON line per started and finished test and finished file to
// $REDGREEN_PROGRESS,
// and one with a finished file's captured console output.
/* global module, require */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS reporter loads with any jest configuration
const { appendFileSync } = require("node:fs");

const out = process.env.REDGREEN_PROGRESS;
// Captured console output kept per file: its head, where the first logged error is.
const CONSOLE_MAX = 16000;
// ASCII only, so the reader can split the file at any byte.
const ascii = (value) => JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
const write = (event) => {
  if (out) appendFileSync(out, `${ascii(event)}\n`);
};

class RedgreenProgressReporter {
  // A file under way, so a crash of jest itself is laid at the files it was running (every jest calls one of these).
  onTestFileStart(test) {
    write({ e: "start", file: test.path });
  }

  onTestStart(test) {
    write({ e: "start", file: test.path });
  }

  onTestCaseStart(test, info) {
    write({ e: "begin", file: test.path, titles: [...info.ancestorTitles, info.title] });
  }

  onTestCaseResult(test, result) {
    write({ e: "test", file: test.path, titles: [...result.ancestorTitles, result.title], state: result.status });
  }

  onTestFileResult(test, result) {
    write({ e: "collected", file: test.path, count: result.testResults.length });
    // jest buffers a file's console calls (its JSON report drops them): an error a server logged may be a failure's only cause.
    const text = (result.console ?? []).map((entry) => String(entry.message)).join("\n");
    if (text.trim() !== "") write({ e: "console", file: test.path, text: text.slice(0, CONSOLE_MAX) });
  }

  getLastError() {
    return undefined;
  }
}

module.exports = RedgreenProgressReporter;
