// buildFixPrompt: the system rules and the user message for one failure, redacted and trimmed to a token budget.
import { failureLanguage, type SourceLanguage } from "../../analysis/language.js";
import type { Analysis, Failure, FileEdit } from "../../domain/index.js";
import { cutMiddle, sourceRange, sourceWindow, testFocusLine, trimStackTrace } from "./context.js";
import type { CalledDefinition } from "./context.js";
import { FENCED_FORMAT_EXAMPLE } from "./parse-answer.js";
import { FIX_TOOL_NAME } from "./response-schema.js";
import { charsForTokens, estimateTokens } from "./tokens.js";

/** A fix tried earlier for this failure and undone, fed back so the model does not repeat it. */
export interface PreviousAttempt {
  source: "pattern" | "llm";
  strategy: string;
  edits: FileEdit[];
  /** Why it was undone or rejected ("rolled back: tests/test_a.py::test_x still fails: AssertionError ..."). */
  outcome: string;
}

/** Project-relative path → file content. */
export type SourceFiles = Readonly<Record<string, string>>;

export interface FixPromptInput {
  failure: Failure;
  analysis: Analysis;
  sourceFiles: SourceFiles;
  /** Other failures with the same root cause (the analyzer's group); summarised, never sent whole. */
  relatedFailures?: readonly Failure[];
  previousAttempts?: readonly PreviousAttempt[];
  /** Functions the failing test line calls (shown when the error surfaces in the test itself); sources in sourceFiles. */
  calledDefinitions?: readonly CalledDefinition[];
  allowTestEdits: boolean;
  /** Token budget for system + user message together. */
  tokenBudget: number;
  /** Applied to every section before it is measured. */
  redact: (text: string) => string;
}

/** The two messages plus what the budget cost. */
export interface FixPrompt {
  system: string;
  user: string;
  estimatedTokens: number;
  /** The trimming rules that fired, in order (empty when everything fit). */
  trimmed: string[];
}

/** Lines shown before and after the error line. */
export const SOURCE_RADIUS = 10;
const CAPTURED_MAX = 2000;

const LANGUAGE_WORDS: Record<SourceLanguage, { name: string; testFiles: string }> = {
  python: { name: "Python", testFiles: "tests/, test_*.py, *_test.py, conftest.py" },
  typescript: { name: "TypeScript/JavaScript", testFiles: "*.test.*, *.spec.*, __tests__/, snapshots, setup files, the runner's config" },
};

/** The fixed rules every fix prompt carries, in the words of the failing test's language. */
export function systemPrompt(allowTestEdits: boolean, language: SourceLanguage = "python"): string {
  const words = LANGUAGE_WORDS[language];
  return [
    `You fix failing ${words.name} tests by editing the code under test. You receive one failing test, its error,`,
    "the source around the error, and an analysis. Propose the smallest edit that makes the test pass.",
    "",
    "Rules:",
    "1. Minimal fix: change as few lines as possible. No refactoring, renaming, reformatting, new features or new dependencies.",
    allowTestEdits
      ? "2. Prefer fixing the code under test. Edit a test file only when the test itself is clearly wrong, and never weaken an " +
        "assertion to make it pass."
      : `2. Do not edit test files (${words.testFiles}). The tests are the specification.`,
    "3. `find` must be text copied exactly from the file shown (same indentation and spacing), a few lines at most,",
    "   taken from near the reported line, and unique in the file. `replace` is the new text for exactly that span.",
    "4. Keep the file's indentation style. Never add credentials, keys or tokens; never delete unrelated code.",
    "5. Explain the root cause and the fix in one or two sentences, and give your confidence from 0 to 1.",
    "6. If a previous attempt is listed, it did not work: do something different.",
    "",
    `Answer by calling the ${FIX_TOOL_NAME} tool once. If you cannot call tools, answer with exactly one block in this format`,
    "(several FIND/REPLACE pairs allowed, each under its FILE line):",
    "",
    FENCED_FORMAT_EXAMPLE,
  ].join("\n");
}

/** How hard the builder trims; each level keeps everything of the previous one except what it names. */
interface TrimLevel {
  rule: string;
  capturedMax: number;
  relatedMax: number;
  attemptsFull: number;
  stack: { maxFrames: number; projectOnly: boolean; maxChars: number };
  testRadius: number;
  fixRadius: number;
}

const LEVELS: TrimLevel[] = [
  {
    rule: "",
    capturedMax: CAPTURED_MAX,
    relatedMax: 10,
    attemptsFull: 5,
    stack: { maxFrames: 30, projectOnly: false, maxChars: 4000 },
    testRadius: SOURCE_RADIUS,
    fixRadius: SOURCE_RADIUS,
  },
  {
    rule: "captured output cut to 500 characters, related failures to 3",
    capturedMax: 500,
    relatedMax: 3,
    attemptsFull: 5,
    stack: { maxFrames: 30, projectOnly: false, maxChars: 4000 },
    testRadius: SOURCE_RADIUS,
    fixRadius: SOURCE_RADIUS,
  },
  {
    rule: "captured output dropped, older attempts shortened",
    capturedMax: 0,
    relatedMax: 3,
    attemptsFull: 2,
    stack: { maxFrames: 30, projectOnly: false, maxChars: 4000 },
    testRadius: SOURCE_RADIUS,
    fixRadius: SOURCE_RADIUS,
  },
  {
    rule: "stack trace reduced to the 8 innermost project frames",
    capturedMax: 0,
    relatedMax: 3,
    attemptsFull: 2,
    stack: { maxFrames: 8, projectOnly: true, maxChars: 1500 },
    testRadius: SOURCE_RADIUS,
    fixRadius: SOURCE_RADIUS,
  },
  {
    rule: "test source window reduced to ±5 lines",
    capturedMax: 0,
    relatedMax: 3,
    attemptsFull: 2,
    stack: { maxFrames: 8, projectOnly: true, maxChars: 1500 },
    testRadius: 5,
    fixRadius: SOURCE_RADIUS,
  },
  {
    rule: "related failures dropped, attempts one line each, fix window ±5 lines",
    capturedMax: 0,
    relatedMax: 0,
    attemptsFull: 0,
    stack: { maxFrames: 4, projectOnly: true, maxChars: 800 },
    testRadius: 3,
    fixRadius: 5,
  },
];

const renderEdit = (e: FileEdit): string =>
  `    in ${e.file}: replace\n${indentBlock(e.find, "      - ")}\n    with\n${indentBlock(e.replace, "      + ")}`;

const indentBlock = (text: string, prefix: string): string =>
  text
    .split("\n")
    .map((l) => prefix + l)
    .join("\n");

/** Groups related failures by their error so ten identical KeyErrors become one line. */
export function dedupeFailures(failures: readonly Failure[], exclude: string): { error: string; nodeIds: string[] }[] {
  const groups = new Map<string, string[]>();
  for (const f of failures) {
    if (f.nodeId === exclude) continue;
    const key = `${f.errorType}: ${f.errorMessage.split("\n")[0]!.slice(0, 200)}`;
    const ids = groups.get(key) ?? [];
    if (!ids.includes(f.nodeId)) ids.push(f.nodeId);
    groups.set(key, ids);
  }
  return [...groups].map(([error, nodeIds]) => ({ error, nodeIds }));
}

function renderUser(input: FixPromptInput, level: TrimLevel): string {
  const { failure, analysis, sourceFiles } = input;
  const r = input.redact;
  const parts: string[] = [];
  parts.push(`## Failing test\n${failure.nodeId} (phase: ${failure.phase})`);

  const error = [`${failure.errorType}: ${cutMiddle(failure.errorMessage, 1500)}`];
  if (failure.hint !== undefined) error.push(`Python's hint: ${failure.hint}`);
  parts.push(`## Error\n${error.join("\n")}`);
  parts.push(`## Stack trace (project frames; library frames folded)\n${trimStackTrace(failure, level.stack)}`);

  const a = [
    `category: ${analysis.errorCategory}`,
    `root cause: ${analysis.rootCause}`,
    `suggested fix: ${analysis.suggestedFix}`,
    `file to fix: ${analysis.fileToFix ?? "unknown"}${analysis.lineNumber !== null ? `, line ${analysis.lineNumber}` : ""}` +
      `${analysis.functionName ? `, in ${analysis.functionName}()` : ""}`,
    `strategy: ${analysis.fixStrategy}, analyzer confidence ${analysis.confidence.toFixed(2)}`,
  ];
  if (analysis.expected !== undefined) a.push(`expected: ${cutMiddle(analysis.expected, 500)}`);
  if (analysis.actual !== undefined) a.push(`actual: ${cutMiddle(analysis.actual, 500)}`);
  if (analysis.hint !== undefined && analysis.hint !== failure.hint) a.push(`hint: ${analysis.hint}`);
  parts.push(`## Analysis\n${a.join("\n")}`);

  const suspects = analysis.suspiciousLines ?? [];
  if (suspects.length > 0) {
    const lines = suspects.map((l, i) => `${i + 1}. ${l.file}:${l.line} (score ${l.score.toFixed(2)}): ${l.text}`);
    const heading = "## Suspicious lines (Ochiai: run by the failing tests more than by the passing ones; most suspicious first)";
    parts.push(`${heading}\n${lines.join("\n")}`);
  }

  const fixFile = analysis.fileToFix;
  const fixSource = fixFile !== null ? sourceFiles[fixFile] : undefined;
  if (fixFile !== null && fixSource !== undefined && fixFile !== failure.testFile) {
    const w = sourceWindow(fixFile, fixSource, analysis.lineNumber, level.fixRadius);
    parts.push(
      `## Source: ${fixFile} (lines ${w.startLine}-${w.endLine}${w.focusLine !== null ? `, error at line ${w.focusLine}` : ""})\n${w.text}`,
    );
  }
  const top = suspects[0];
  const topSource = top !== undefined ? sourceFiles[top.file] : undefined;
  if (top !== undefined && topSource !== undefined && top.file !== fixFile && top.file !== failure.testFile) {
    const w = sourceWindow(top.file, topSource, top.line, level.fixRadius);
    parts.push(`## Source: ${top.file} (lines ${w.startLine}-${w.endLine}, most suspicious line ${top.line})\n${w.text}`);
  }
  const testSource = sourceFiles[failure.testFile];
  if (testSource !== undefined) {
    const focus = fixFile === failure.testFile && analysis.lineNumber !== null ? analysis.lineNumber : testFocusLine(failure, testSource);
    const radius = fixFile === failure.testFile ? level.fixRadius : level.testRadius;
    const w = sourceWindow(failure.testFile, testSource, focus, radius);
    parts.push(
      `## Failing test source: ${failure.testFile} (lines ${w.startLine}-${w.endLine}` +
        `${w.focusLine !== null ? `, failing at line ${w.focusLine}` : ""})\n${w.text}`,
    );
  }

  for (const d of input.calledDefinitions ?? []) {
    const src = sourceFiles[d.file];
    if (src === undefined || d.file === fixFile) continue;
    const w = sourceRange(d.file, src, d.line - 1, d.line - 1 + 2 * level.fixRadius, null);
    parts.push(`## Called by the failing line: ${d.name}() in ${d.file} (lines ${w.startLine}-${w.endLine})\n${w.text}`);
  }

  const attempts = input.previousAttempts ?? [];
  if (attempts.length > 0) {
    const first = attempts.length - level.attemptsFull;
    const lines = attempts.map((at, i) => {
      const head = `${i + 1}. [${at.source}/${at.strategy}] ${at.outcome}`;
      return i >= first ? `${head}\n${at.edits.map(renderEdit).join("\n")}` : head;
    });
    parts.push(`## Previous attempts (undone; do not repeat them)\n${lines.join("\n")}`);
  }

  const related = dedupeFailures(input.relatedFailures ?? [], failure.nodeId);
  if (related.length > 0 && level.relatedMax > 0) {
    const shown = related.slice(0, level.relatedMax).map((g) => {
      const ids = g.nodeIds.slice(0, 3).join(", ") + (g.nodeIds.length > 3 ? `, and ${g.nodeIds.length - 3} more` : "");
      return `- ${g.nodeIds.length} test${g.nodeIds.length === 1 ? "" : "s"} (${ids}): ${g.error}`;
    });
    if (related.length > level.relatedMax) shown.push(`- … ${related.length - level.relatedMax} more distinct errors`);
    parts.push(`## Other failures with the same root cause\n${shown.join("\n")}`);
  }

  if (failure.capturedOutput !== undefined && failure.capturedOutput.trim() !== "" && level.capturedMax > 0) {
    parts.push(`## Captured output (cut)\n${cutMiddle(failure.capturedOutput.trim(), level.capturedMax)}`);
  }
  return r(parts.join("\n\n"));
}

/** Builds the prompt, applying the trimming rules in order until it fits the budget, then cutting as a last resort. */
export function buildFixPrompt(input: FixPromptInput): FixPrompt {
  const system = input.redact(systemPrompt(input.allowTestEdits, failureLanguage(input.failure, input.analysis.fileToFix)));
  const trimmed: string[] = [];
  let user = "";
  for (const level of LEVELS) {
    if (level.rule !== "") trimmed.push(level.rule);
    user = renderUser(input, level);
    if (estimateTokens(system) + estimateTokens(user) <= input.tokenBudget) {
      return { system, user, estimatedTokens: estimateTokens(system) + estimateTokens(user), trimmed };
    }
  }
  const room = Math.max(400, charsForTokens(input.tokenBudget) - system.length);
  trimmed.push(`user message cut to ${room} characters`);
  user = cutMiddle(user, room);
  return { system, user, estimatedTokens: estimateTokens(system) + estimateTokens(user), trimmed };
}
