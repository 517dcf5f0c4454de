// Parser for vitest's and jest's default terminal output (pasted logs): failures, counts, node ids.
import type { Failure } from "../domain/failure.js";
import type { TestRunResult } from "../domain/test-run.js";
import { CARET_RE, emptyParts, errorTextFromJestBlock, jsFailure, type JsRunParts } from "./jest-json.js";
import type { JsFrameContext } from "./v8-stack.js";

// eslint-disable-next-line no-control-regex
const ANSI_RE = /\u001b\[[0-9;]*[A-Za-z]/g;
const VITEST_FAIL_RE = /^\s*FAIL\s+(?:\|[^|]+\|\s+)?(.+?)\s*$/;
const VITEST_SUITE_RE = /^(.+?) \[ .+ \]$/;
const VITEST_SEPARATOR_RE = /^\s*⎯{2,}/;
const VITEST_FRAME_RE = /^\s*❯ (?:(.+) )?(\S+):(\d+):(\d+)\s*$/;
const VITEST_CODE_RE = /^\s*\d+\|/;
const VITEST_TESTS_RE = /^\s*Tests\s+(.+?)\s*\(\d+\)\s*$/;
const JEST_FILE_RE = /^(FAIL|PASS)\s+(.+?)(?:\s+\([\d.]+ m?s\))?\s*$/;
const JEST_BLOCK_RE = /^\s{2}● (.+)$/;
const JEST_TESTS_RE = /^Tests:\s+(.+)$/;
const JEST_END_RE = /^(?:Test Suites:|Summary of all failing tests|Ran all test suites)/;
const COUNT_RE = /(\d+) (passed|failed|skipped|todo|pending)/g;

/** Adds "N failed, M passed" style counts to parts. */
function addCounts(parts: JsRunParts, text: string): void {
  for (const m of text.matchAll(COUNT_RE)) {
    const n = Number(m[1]);
    if (m[2] === "passed") parts.passed = n;
    else if (m[2] === "failed") parts.failed = n;
    else parts.skipped += n;
  }
}

/** vitest's output: " FAIL  file > a > b" blocks with "❯ fn file:line:col" frames, and the "Tests" summary line. */
function parseVitestText(lines: string[], ctx: JsFrameContext): { parts: JsRunParts; summary: boolean } {
  const parts = emptyParts();
  let summary = false;
  for (let i = 0; i < lines.length; i++) {
    const tests = VITEST_TESTS_RE.exec(lines[i]!);
    if (tests) {
      summary = true;
      addCounts(parts, tests[1]!);
      continue;
    }
    const fail = VITEST_FAIL_RE.exec(lines[i]!);
    if (!fail) continue;
    const header: string[] = [];
    const frames: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const l = lines[j]!;
      if (VITEST_SEPARATOR_RE.test(l) || VITEST_FAIL_RE.test(l)) break;
      const fr = VITEST_FRAME_RE.exec(l);
      if (fr) frames.push(fr[1] ? `    at ${fr[1]} (${fr[2]}:${fr[3]}:${fr[4]})` : `    at ${fr[2]}:${fr[3]}:${fr[4]}`);
      else if (frames.length === 0 && !VITEST_CODE_RE.test(l) && !CARET_RE.test(l)) header.push(l);
    }
    i = j - 1;
    // The error header ends at the first blank line (a diff follows it).
    const blank = header.findIndex((l, k) => k > 0 && l.trim() === "");
    const text = [(blank === -1 ? header : header.slice(0, blank)).join("\n").trim(), ...frames].join("\n");
    const target = fail[1]!;
    const suite = VITEST_SUITE_RE.exec(target);
    if (suite) {
      parts.errors++;
      parts.failures.push(jsFailure(text, { relFile: suite[1]!, titles: [], phase: "collect", durationSeconds: 0 }, ctx));
      continue;
    }
    const [relFile, ...titles] = target.split(" > ");
    parts.failures.push(jsFailure(text, { relFile: relFile!, titles, phase: "call", durationSeconds: 0 }, ctx));
  }
  return { parts, summary };
}

/** jest's output: "FAIL file" lines, "  ● a › b" blocks, and the "Tests:" summary line. */
function parseJestText(lines: string[], ctx: JsFrameContext): { parts: JsRunParts; summary: boolean } {
  const parts = emptyParts();
  const seen = new Set<string>();
  let summary = false;
  let file: string | null = null;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    const tests = JEST_TESTS_RE.exec(l);
    if (tests) {
      summary = true;
      addCounts(parts, tests[1]!);
      continue;
    }
    const f = JEST_FILE_RE.exec(l);
    if (f) {
      file = f[2]!;
      continue;
    }
    const block = JEST_BLOCK_RE.exec(l);
    if (!block || file === null) continue;
    let j = i + 1;
    while (
      j < lines.length &&
      !JEST_BLOCK_RE.test(lines[j]!) &&
      !JEST_FILE_RE.test(lines[j]!) &&
      !JEST_END_RE.test(lines[j]!) &&
      !JEST_TESTS_RE.test(lines[j]!)
    )
      j++;
    const raw = lines.slice(i, j).join("\n");
    i = j - 1;
    const title = block[1]!.trim();
    const collect = title === "Test suite failed to run";
    const titles = collect ? [] : title.split(" › ");
    const text = errorTextFromJestBlock(raw);
    // The "Summary of all failing tests" section repeats blocks already seen.
    const key = `${file}\0${title}\0${text}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (collect) parts.errors++;
    parts.failures.push(jsFailure(text, { relFile: file, titles, phase: collect ? "collect" : "call", durationSeconds: 0 }, ctx));
  }
  return { parts, summary };
}

/** Which runner printed the text. */
export function detectJsTextRunner(text: string): "vitest" | "jest" {
  return /^\s*(?:Test Files\s|FAIL\s{2}|RUN\s+v\d)|⎯/m.test(text) ? "vitest" : "jest";
}

/**
 * Parses vitest's or jest's default terminal output into a TestRunResult (source "text"). Paths in the
 * output are relative to the project root the context names; passing node ids are not printed and stay empty.
 */
export function parseJsText(text: string, ctx: JsFrameContext, runner: "vitest" | "jest" = detectJsTextRunner(text)): TestRunResult {
  const lines = text.replace(ANSI_RE, "").replace(/\r\n/g, "\n").split("\n");
  const { parts, summary } = runner === "vitest" ? parseVitestText(lines, ctx) : parseJestText(lines, ctx);
  const failedIds = new Set(parts.failures.filter((f: Failure) => f.phase !== "collect").map((f) => f.nodeId));
  if (!summary) parts.failed = failedIds.size;
  parts.total = parts.passed + parts.failed + parts.skipped + parts.errors;
  let status: TestRunResult["status"];
  let message: string | undefined;
  if (parts.failures.length > 0 || parts.failed + parts.errors > 0) status = "failed";
  else if (summary && parts.total === 0) status = "no_tests";
  else if (summary) status = "passed";
  else if (/No test files found|No tests found/.test(text)) status = "no_tests";
  else {
    status = "error";
    message = `no ${runner} results found in the text`;
  }
  const result: TestRunResult = {
    status,
    passed: parts.passed,
    failed: parts.failed,
    errors: parts.errors,
    skipped: parts.skipped,
    xfailed: 0,
    xpassed: 0,
    total: parts.total,
    durationSeconds: 0,
    failures: parts.failures,
    coverage: null,
    command: [runner],
    slowTests: [],
    passedNodeIds: [],
    source: "text",
    testFiles: [],
    anomalies: [],
  };
  if (message) result.message = message;
  return result;
}
