// Parser for jest's `--json` report and vitest's jest-compatible `--reporter=json` report.
import { z } from "zod";
import type { Failure } from "../domain/failure.js";
import { checkShape, parseJsonAs } from "./parse-json.js";
import { failureLocation } from "./failure-location.js";
import { withLoggedCause } from "./logged-cause.js";
import { classifyJsFile, parseJsError, relativeToRoots, type JsFrameContext } from "./v8-stack.js";

/** Counts, failures and passing node ids of one JS test run, before status and coverage are decided. */
export interface JsRunParts {
  passed: number;
  failed: number;
  skipped: number;
  /** Test files that failed to load (collect errors). */
  errors: number;
  total: number;
  failures: Failure[];
  passedNodeIds: string[];
  /** Seconds per node id, for slow-test reporting. */
  testDurations: Map<string, number>;
}

/** Run parts with nothing counted yet. */
export const emptyParts = (): JsRunParts => ({
  passed: 0,
  failed: 0,
  skipped: 0,
  errors: 0,
  total: 0,
  failures: [],
  passedNodeIds: [],
  testDurations: new Map(),
});

/** What parseJestJson reads from a report. */
export interface JestJsonParts extends JsRunParts {
  /** Project-relative test files the report lists (outside node_modules); a custom testMatch/include may name any file. */
  testFiles: string[];
}

/** Options of parseJestJson. */
export interface JestJsonContext extends JsFrameContext {
  /**
   * Failure texts that replace the report's own for a test (titles) or a whole file (titles null), when
   * the runner's live reporter saw more (vitest's JSON drops a timeout's message and a load error's stack).
   */
  errorTexts?(absFile: string, titles: string[] | null): string[] | undefined;
  /** The console output a failed test captured (the runner's live reporter records it; the JSON report drops it). */
  capturedOutput?(absFile: string, titles: string[]): string | undefined;
  /** Whether a file's result (titles null) or a test's belongs to the run; a name filter makes runners report the rest as skipped. */
  keep?(relFile: string, titles: string[] | null): boolean;
}

const AssertionResultSchema = z.object({
  ancestorTitles: z.array(z.string()).default([]),
  title: z.string(),
  status: z.string(),
  duration: z.number().nullable().optional(),
  failureMessages: z.array(z.string()).nullable().optional(),
});

const FileResultSchema = z.object({
  name: z.string(),
  status: z.string().optional(),
  message: z.string().nullable().optional(),
  assertionResults: z.array(AssertionResultSchema).default([]),
});

/** The part of the report redgreen reads (jest and vitest write the same shape). */
export const JestJsonReportSchema = z.object({
  numTotalTests: z.number().optional(),
  testResults: z.array(FileResultSchema),
});
export type JestJsonReport = z.infer<typeof JestJsonReportSchema>;

/** The node id of a test: project-relative file, "::", the describe titles and the test title joined by " > ". */
export const jsNodeId = (relFile: string, titles: string[]): string => (titles.length > 0 ? `${relFile}::${titles.join(" > ")}` : relFile);

const SKIPPED = new Set(["skipped", "pending", "todo", "disabled"]);

const JEST_CODE_FRAME_RE = /^\s*>?\s*\d+ \|/;
/** The caret line under a code frame ("    |    ^"), in jest's and vitest's formatted errors. */
export const CARET_RE = /^\s*\|\s*\^+\s*$/;
const JEST_HEADER_RE = /^\s*● (.*)$/;

/**
 * The error text (header and "at" lines) of one "● title" block of jest's formatted output: the block
 * "Test suite failed to run" when there is one, else the first block. Code frames are dropped and the
 * indentation removed.
 */
export function errorTextFromJestBlock(text: string): string {
  const lines = text.replace(/\r\n/g, "\n").split("\n");
  let start = lines.findIndex((l) => /^\s*● Test suite failed to run\s*$/.test(l));
  if (start === -1) start = lines.findIndex((l) => JEST_HEADER_RE.test(l));
  const body: string[] = [];
  for (let i = start + 1; i < lines.length; i++) {
    const l = lines[i]!;
    if (JEST_HEADER_RE.test(l)) break;
    if (JEST_CODE_FRAME_RE.test(l) || CARET_RE.test(l)) continue;
    body.push(l);
  }
  const indent = Math.min(...body.filter((l) => l.trim() !== "").map((l) => /^\s*/.exec(l)![0].length));
  const dedented = body.map((l) => l.slice(Number.isFinite(indent) ? indent : 0).trimEnd());
  const firstAt = dedented.findIndex((l) => /^\s*at /.test(l));
  const header = (firstAt === -1 ? dedented : dedented.slice(0, firstAt)).join("\n").trim();
  const stack =
    firstAt === -1
      ? []
      : dedented
          .slice(firstAt)
          .filter((l) => /^\s*at /.test(l))
          .map((l) => `    ${l.trim()}`);
  return [header, ...stack].join("\n");
}

/** The text of a file-level failure in the report: jest formats it as a "● Test suite failed to run" block. */
function fileErrorText(message: string): string {
  return /●/.test(message) ? errorTextFromJestBlock(message) : message.trim();
}

/** A Failure from one failure text. */
export function jsFailure(
  text: string,
  p: { relFile: string; titles: string[]; phase: Failure["phase"]; durationSeconds: number },
  ctx: JsFrameContext,
): Failure {
  const e = parseJsError(text, ctx);
  return {
    nodeId: jsNodeId(p.relFile, p.titles),
    testFile: p.relFile,
    testName: p.titles.join(" > "),
    errorType: e.errorType,
    errorMessage: e.errorMessage,
    stackTrace: e.stackTrace || e.errorMessage || e.errorType,
    ...failureLocation(e.frames, p.relFile),
    frames: e.frames,
    phase: p.phase,
    durationSeconds: p.durationSeconds,
  };
}

/**
 * Parses a jest or vitest JSON report (text or parsed) into run parts; throws parse_failed when it is not one. The
 * files the report lists count as test files while frames are classified (the runner's config may name any file).
 */
export function parseJestJson(input: string | unknown, ctx: JestJsonContext): JestJsonParts {
  const what = "the JSON test report";
  const report = typeof input === "string" ? parseJsonAs(JestJsonReportSchema, input, what) : checkShape(JestJsonReportSchema, input, what);
  const testFiles = new Set<string>();
  for (const file of report.testResults) {
    const c = classifyJsFile(file.name, ctx);
    if (c.kind === "test" || c.kind === "project") testFiles.add(c.file);
  }
  const frameCtx: JestJsonContext = { ...ctx, isTestFile: (rel) => testFiles.has(rel) || ctx.isTestFile(rel) };
  const parts = emptyParts();
  for (const file of report.testResults) {
    const relFile = relativeToRoots(file.name, ctx.projectRoots) ?? file.name;
    if (ctx.keep && !ctx.keep(relFile, null)) continue;
    let ran = 0;
    for (const a of file.assertionResults) {
      const titles = [...a.ancestorTitles, a.title];
      if (ctx.keep && !ctx.keep(relFile, titles)) continue;
      const nodeId = jsNodeId(relFile, titles);
      const seconds = Math.max(0, (a.duration ?? 0) / 1000);
      if (a.status === "passed") {
        parts.passed++;
        ran++;
        parts.passedNodeIds.push(nodeId);
        parts.testDurations.set(nodeId, seconds);
      } else if (a.status === "failed") {
        parts.failed++;
        ran++;
        parts.testDurations.set(nodeId, seconds);
        const texts = ctx.errorTexts?.(file.name, titles) ?? a.failureMessages ?? [];
        const output = ctx.capturedOutput?.(file.name, titles);
        for (const text of texts.length > 0 ? texts : ["Error: the test failed without an error message"]) {
          const failure = jsFailure(text, { relFile, titles, phase: "call", durationSeconds: seconds }, frameCtx);
          parts.failures.push(withLoggedCause(failure, output, frameCtx));
        }
      } else if (SKIPPED.has(a.status)) {
        parts.skipped++;
      }
    }
    const message = file.message?.trim() ?? "";
    // A file whose tests all passed or were skipped but which failed anyway: it did not load, or a
    // file-level hook threw. jest sets the message for failed tests too, so only count it without failures.
    const fileFailed = file.status === "failed" && !file.assertionResults.some((a) => a.status === "failed");
    if (fileFailed || /● Test suite failed to run/.test(message)) {
      const texts = ctx.errorTexts?.(file.name, null) ?? (message ? [fileErrorText(message)] : ["Error: the test file failed to run"]);
      parts.errors++;
      for (const text of texts) {
        parts.failures.push(
          jsFailure(text, { relFile, titles: [], phase: ran > 0 ? "teardown" : "collect", durationSeconds: 0 }, frameCtx),
        );
      }
    }
  }
  parts.total = parts.passed + parts.failed + parts.skipped + parts.errors;
  return { ...parts, testFiles: [...testFiles] };
}
