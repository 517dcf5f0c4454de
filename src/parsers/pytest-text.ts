// Parser for pytest's terminal output (pasted logs, and the adapter's last fallback).
import type { Failure, FailurePhase } from "../domain/failure.js";
import { splitNodeId } from "../domain/node-id.js";
import { zeroCounts, type TestRunCounts, type TestRunResult } from "../domain/test-run.js";
import { focusFrames, hintFromMessage, pythonFailure, withFrameKinds } from "./pytest-frames.js";
import { parsePythonTraceback } from "./traceback.js";

// eslint-disable-next-line no-control-regex
const ANSI_RE = /\u001b\[[0-9;]*[A-Za-z]/g;
const SECTION_RE = /^={3,} (.+?) ={3,}\s*$/;
const BLOCK_RE = /^_{3,} (.+?) _{3,}\s*$/;
const CAPTURED_RE = /^-{3,} (Captured .+?) -{3,}\s*$/;
const SUMMARY_ITEM_RE = /(\d+) (failed|passed|skipped|deselected|xfailed|xpassed|errors?|warnings?|rerun)/g;
const FINAL_RE = /^(?:=+ )?((?:\d+ \w+(?:, )?)+|no tests ran)(?: in ([\d.]+)s(?: \([\d:]+\))?)?(?: =+)?\s*$/;
const SHORT_LINE_RE = /^(FAILED|ERROR|PASSED|XFAIL|XPASS|SKIPPED)\s+(.*)$/;
const VERBOSE_RE = /^(\S.*?::.*?) (PASSED|FAILED|ERROR|SKIPPED|XFAIL|XPASS)(?: \(.*\))?\s*(?:\[\s*\d+%\])?\s*$/;
const XDIST_VERBOSE_RE = /^\[gw\d+\] \[\s*\d+%\] (PASSED|FAILED|ERROR|SKIPPED|XFAIL|XPASS) (\S.*?)\s*$/;
const ROOTDIR_RE = /^rootdir: (.+?)(?:, (?:configfile|inifile|testpaths):.*)?$/;
const COLLECTED_RE = /^(?:collecting \.\.\. )?collected (\d+) items?/;

interface Block {
  title: string;
  section: "FAILURES" | "ERRORS";
  lines: string[];
}

interface ShortEntry {
  kind: string;
  nodeId: string;
  message: string;
}

/** "FAILED tests/x.py::test_a - AssertionError: boom" → node id and message (node ids may contain " - " only inside [...]). */
function splitShortLine(rest: string): { nodeId: string; message: string } {
  let depth = 0;
  for (let i = 0; i < rest.length; i++) {
    const c = rest[i];
    if (c === "[") depth++;
    else if (c === "]") depth = Math.max(0, depth - 1);
    else if (depth === 0 && rest.startsWith(" - ", i)) return { nodeId: rest.slice(0, i).trim(), message: rest.slice(i + 3).trim() };
  }
  return { nodeId: rest.trim(), message: "" };
}

/** The block title pytest prints for a node: "test_x", "TestC.test_x[1]"; collection/setup errors are prefixed. */
const titleOf = (nodeId: string): string => splitNodeId(nodeId).testName.replace(/::/g, ".");

function blockTarget(block: Block, short: ShortEntry[]): { nodeId: string; phase: FailurePhase } {
  const t = block.title;
  let m = /^ERROR collecting (.+)$/.exec(t);
  if (m) return { nodeId: m[1]!.trim(), phase: "collect" };
  let phase: FailurePhase = "call";
  let name = t;
  m = /^ERROR at (setup|teardown) of (.+)$/.exec(t);
  if (m) {
    phase = m[1] as FailurePhase;
    name = m[2]!.trim();
  }
  const wanted = phase === "call" ? ["FAILED"] : ["ERROR"];
  const hit =
    short.find((s) => wanted.includes(s.kind) && titleOf(s.nodeId) === name) ??
    short.find((s) => titleOf(s.nodeId) === name) ??
    short.find((s) => s.nodeId.endsWith(`::${name.replace(/\./g, "::")}`));
  return { nodeId: hit?.nodeId ?? name, phase };
}

/** Splits a block's lines into the traceback and its "Captured ..." sections. */
function splitCaptured(lines: string[]): { trace: string; captured: string } {
  const at = lines.findIndex((l) => CAPTURED_RE.test(l));
  if (at < 0) return { trace: lines.join("\n"), captured: "" };
  return { trace: lines.slice(0, at).join("\n"), captured: lines.slice(at).join("\n").trim() };
}

/** errorType/message from the short summary's text ("AssertionError: x", "assert 1 == 2", "ConnectionError: ..."). */
function typeFromShort(message: string): { errorType: string; errorMessage: string } {
  const m = /^((?:[A-Za-z_]\w*\.)*[A-Z]\w*): ?(.*)$/s.exec(message);
  if (m) return { errorType: m[1]!, errorMessage: m[2]! };
  if (message.startsWith("assert")) return { errorType: "AssertionError", errorMessage: message };
  if (message.startsWith("[XPASS(strict)]")) return { errorType: "XPASS(strict)", errorMessage: message.slice(15).trim() };
  return { errorType: message ? "Error" : "", errorMessage: message };
}

function makeFailure(
  nodeId: string,
  phase: FailurePhase,
  traceText: string,
  captured: string,
  shortMessage: string,
  rootDir?: string,
): Failure {
  const parsed = parsePythonTraceback(traceText);
  const fromShort = typeFromShort(shortMessage);
  const errorType = parsed.errorType || fromShort.errorType || "Error";
  const errorMessage = parsed.errorType ? parsed.errorMessage : fromShort.errorMessage;
  const frames = focusFrames(withFrameKinds(parsed.frames, rootDir), errorType);
  const failure = pythonFailure({ nodeId, errorType, errorMessage, trace: traceText, frames, phase, durationSeconds: 0 });
  const hint = hintFromMessage(errorMessage);
  if (hint) failure.hint = hint;
  if (captured) failure.capturedOutput = captured;
  if (parsed.chain.length > 0) {
    failure.chain = [...parsed.chain.map((c) => ({ errorType: c.errorType, errorMessage: c.errorMessage })), { errorType, errorMessage }];
  }
  return failure;
}

/** Parses pytest terminal output (any -q/-v/-r and --tb style) into a TestRunResult with source "text". */
export function parsePytestOutput(text: string): TestRunResult {
  const lines = text.replace(ANSI_RE, "").replace(/\r\n?/g, "\n").split("\n");
  let rootDir: string | undefined;
  let collected: number | null = null;
  let section = "";
  const blocks: Block[] = [];
  const short: ShortEntry[] = [];
  const verbose = new Map<string, string>();
  let summary: { counts: TestRunCounts; duration: number; noTests: boolean } | null = null;

  for (const raw of lines) {
    const line = raw.trimEnd();
    const root = ROOTDIR_RE.exec(line);
    if (root && !rootDir) rootDir = root[1]!.trim();
    const coll = COLLECTED_RE.exec(line);
    if (coll && collected === null) collected = Number(coll[1]);
    const final = FINAL_RE.exec(line);
    if (final && (/ in [\d.]+s/.test(line) || line.startsWith("="))) {
      const counts = zeroCounts();
      for (const m of final[1]!.matchAll(SUMMARY_ITEM_RE)) {
        const n = Number(m[1]);
        const word = m[2]!;
        if (word === "error" || word === "errors") counts.errors += n;
        else if (word in counts) counts[word as keyof typeof counts] += n;
      }
      summary = { counts, duration: Number(final[2] ?? 0), noTests: final[1] === "no tests ran" };
      section = "";
      continue;
    }
    const sec = SECTION_RE.exec(line);
    if (sec) {
      section = sec[1]!.trim();
      continue;
    }
    if (section === "FAILURES" || section === "ERRORS") {
      const b = BLOCK_RE.exec(line);
      if (b) {
        blocks.push({ title: b[1]!.trim(), section, lines: [] });
        continue;
      }
      blocks[blocks.length - 1]?.lines.push(line);
      continue;
    }
    // Pasted fragments may lack the section banner: summary lines are read anywhere outside a section.
    if (section === "short test summary info" || section === "") {
      const s = SHORT_LINE_RE.exec(line);
      if (s) {
        const kind = s[1]!;
        if (kind === "SKIPPED") continue;
        const { nodeId, message } = splitShortLine(s[2]!);
        short.push({ kind, nodeId, message });
        continue;
      }
      if (section !== "") continue;
    }
    const v = VERBOSE_RE.exec(line);
    if (v) verbose.set(v[1]!, v[2]!);
    const x = XDIST_VERBOSE_RE.exec(line);
    if (x) verbose.set(x[2]!, x[1]!);
  }

  const failures: Failure[] = [];
  const seen = new Set<string>();
  for (const block of blocks) {
    const { nodeId, phase } = blockTarget(block, short);
    const key = `${nodeId}\u0000${phase}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const { trace, captured } = splitCaptured(block.lines);
    const shortMessage = short.find((s) => s.nodeId === nodeId)?.message ?? "";
    failures.push(makeFailure(nodeId, phase, trace, captured, shortMessage, rootDir));
  }
  // Failures listed only in the short summary (--tb=no, or blocks cut from a pasted log).
  for (const s of short) {
    if (s.kind !== "FAILED" && s.kind !== "ERROR") continue;
    if (failures.some((f) => f.nodeId === s.nodeId)) continue;
    const phase: FailurePhase = s.kind === "FAILED" ? "call" : s.nodeId.includes("::") ? "setup" : "collect";
    failures.push(makeFailure(s.nodeId, phase, "", "", s.message, rootDir));
  }
  for (const [nodeId, outcome] of verbose) {
    if ((outcome === "FAILED" || outcome === "ERROR") && !failures.some((f) => f.nodeId === nodeId)) {
      failures.push(makeFailure(nodeId, outcome === "FAILED" ? "call" : "setup", "", "", "", rootDir));
    }
  }

  const counts = summary?.counts ?? zeroCounts();
  if (!summary) {
    for (const f of failures) {
      if (f.phase === "call") counts.failed++;
      else counts.errors++;
    }
    for (const outcome of verbose.values()) if (outcome === "PASSED") counts.passed++;
  }
  const failedIds = new Set(failures.map((f) => f.nodeId));
  const passedNodeIds = [
    ...new Set([
      ...[...verbose].filter(([, o]) => o === "PASSED").map(([id]) => id),
      ...short.filter((s) => s.kind === "PASSED").map((s) => s.nodeId),
    ]),
  ].filter((id) => !failedIds.has(id));
  const total = counts.passed + counts.failed + counts.errors + counts.skipped + counts.xfailed + counts.xpassed;

  let status: TestRunResult["status"];
  let message: string | undefined;
  if (failures.length > 0 || counts.failed + counts.errors > 0) status = "failed";
  else if (summary?.noTests || (summary && total === 0) || collected === 0) status = "no_tests";
  else if (summary) status = "passed";
  else {
    status = "error";
    message = "no pytest summary line or failure found in the output";
  }
  const result: TestRunResult = {
    status,
    ...counts,
    total,
    durationSeconds: summary?.duration ?? 0,
    failures,
    coverage: null,
    command: [],
    slowTests: [],
    passedNodeIds,
    source: "text",
    testFiles: [],
    anomalies: [],
  };
  if (message) result.message = message;
  return result;
}
