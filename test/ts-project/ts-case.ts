// Test harness for the TS patterns: a temp copy of a fixture project, its language service, and vitest-shaped failures.
import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import type { Analysis } from "../../src/domain/analysis.js";
import type { Failure, StackFrame } from "../../src/domain/failure.js";
import { createPatternContext, type PatternContext } from "../../src/fixers/patterns/index.js";
import { failureLocation } from "../../src/parsers/failure-location.js";
import { packageRoot } from "../../src/paths.js";
import { runProcess } from "../../src/process/run.js";
import type { PythonCaller } from "../../src/python/client.js";
import { createTsProject } from "../../src/ts-project/project.js";
import type { TsProject } from "../../src/ts-project/types.js";
import { copyProject } from "../helpers/project-copy.js";

/** The ts-patterns fixture folder. */
export const tsFixtures = join(dirname(fileURLToPath(import.meta.url)), "..", "fixtures", "ts-patterns");

/** A Python helper that must never be called: TS failures have no business there. */
export const noPython: PythonCaller = {
  call: () => Promise.reject(new Error("a TypeScript failure reached the Python helper")),
};

/** vitest's and jest's test-file rule. */
export const isJsTestFile = (rel: string): boolean => /\.(?:test|spec)\.[cm]?[jt]sx?$/.test(rel) || rel.split("/").includes("__tests__");

/** A frame as a JS runner reports it, plus the column V8 prints. */
export interface FrameSpec {
  file: string;
  line: number;
  column?: number;
  fn: string;
  kind: NonNullable<StackFrame["kind"]>;
}

/** A failure shaped like a vitest run's: V8 stack text with absolute paths, frames relative to the root, innermost last. */
export function jsFailure(
  root: string,
  spec: { testFile: string; testName: string; errorType: string; errorMessage: string; frames: FrameSpec[] },
): Failure {
  const frames = spec.frames.map((f) => ({
    file: f.file,
    line: f.line,
    function: f.fn,
    kind: f.kind,
    ...(f.column !== undefined ? { column: f.column } : {}),
  }));
  const stackLines = [...spec.frames].reverse().map((f) => `    at ${f.fn} (${join(root, f.file)}:${f.line}:${f.column ?? 1})`);
  return {
    nodeId: `${spec.testFile} > ${spec.testName}`,
    testFile: spec.testFile,
    testName: spec.testName,
    errorType: spec.errorType,
    errorMessage: spec.errorMessage,
    stackTrace: [`${spec.errorType}: ${spec.errorMessage}`, ...stackLines].join("\n"),
    // Like the V8 parser, frames carry the column when the stack gives one; without it the patterns read the stack text.
    frames,
    ...failureLocation(frames, spec.testFile),
    phase: "call",
    durationSeconds: 0.01,
  };
}

/** The analysis the analyzer would give: the innermost project frame (else the test frame) as the place to fix. */
export function jsAnalysis(failure: Failure, over: Partial<Analysis> = {}): Analysis {
  const own = failure.frames.filter((f) => f.kind === "project");
  const at = own[own.length - 1] ?? failure.frames[failure.frames.length - 1];
  return {
    errorType: failure.errorType,
    errorCategory: failure.errorType === "AssertionError" ? "assertion" : "type_error",
    rootCause: failure.errorMessage,
    suggestedFix: "",
    fileToFix: at?.file ?? failure.testFile,
    lineNumber: at?.line ?? null,
    fixStrategy: "llm",
    confidence: 0.5,
    groupKey: `${at?.file}:${at?.line}:${failure.errorType}`,
    ...over,
  };
}

/** A fixture copied to a temp dir (node_modules linked to redgreen's), with its language service. */
export interface TsCase {
  root: string;
  project: TsProject;
  read(rel: string): string;
  ctx(failure: Failure, analysis?: Analysis, options?: { allowTestEdits?: boolean }): PatternContext;
  /** Transpiles the project's src/ with TypeScript and runs an ES module script in it with node; returns stdout. */
  run(script: string): Promise<{ stdout: string; stderr: string; exitCode: number | null }>;
  close(): void;
}

export function openTsCase(name: string): TsCase {
  const copy = copyProject(join(tsFixtures, name));
  symlinkSync(join(packageRoot, "node_modules"), join(copy.root, "node_modules"), "dir");
  const project = createTsProject({ projectRoot: copy.root, isTestFile: isJsTestFile });
  return {
    root: copy.root,
    project,
    read: (rel) => readFileSync(join(copy.root, rel), "utf8"),
    ctx: (failure, analysis = jsAnalysis(failure), options = {}) =>
      createPatternContext({
        failure,
        analysis,
        projectRoot: copy.root,
        helper: noPython,
        isTestFile: isJsTestFile,
        allowTestEdits: options.allowTestEdits ?? false,
        typescript: project,
      }),
    async run(script) {
      const out = join(copy.root, ".out");
      const src = join(copy.root, "src");
      for (const entry of readdirSync(src, { recursive: true, withFileTypes: true })) {
        if (!entry.isFile() || !entry.name.endsWith(".ts")) continue;
        const file = join(entry.parentPath, entry.name);
        const js = ts.transpileModule(readFileSync(file, "utf8"), {
          compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
          fileName: file,
        }).outputText;
        const target = join(out, relative(src, file)).replace(/\.ts$/, ".js");
        mkdirSync(dirname(target), { recursive: true });
        writeFileSync(target, js);
      }
      const result = await runProcess(process.execPath, ["--input-type=module", "-e", script], { cwd: out, timeoutMs: 20_000 });
      return { stdout: result.stdout.trim(), stderr: result.stderr, exitCode: result.exitCode };
    },
    close() {
      project.dispose?.();
      copy.cleanup();
    },
  };
}
