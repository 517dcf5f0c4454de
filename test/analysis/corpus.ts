// The analyzer corpus: real pytest outputs captured from test/fixtures/analyzer/projects, split into Failures, with labels.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { ErrorCategory, FixStrategy } from "../../src/domain/analysis.js";
import type { Failure, FailurePhase } from "../../src/domain/failure.js";
import { parsePythonTraceback } from "../../src/parsers/traceback.js";
import { fixturePath } from "../helpers/python-env.js";

export const corpusDir = fixturePath("analyzer");
export const projectsDir = join(corpusDir, "projects");
export const STYLES = ["long", "short", "native"] as const;
export type TbStyle = (typeof STYLES)[number];

export interface Label {
  category: ErrorCategory;
  file: string;
  line: number;
  strategy: FixStrategy;
}

interface Meta {
  projectsRoot: string;
  versions: Record<string, { pytest: string; projects: string[] }>;
}

/** nodeId → expected analysis, per project. */
export const labels: Record<string, Record<string, Label>> = JSON.parse(readFileSync(join(corpusDir, "labels.json"), "utf8")).projects;
export const meta: Meta = JSON.parse(readFileSync(join(corpusDir, "captured", "meta.json"), "utf8"));

/** A captured file with the capture-time project paths moved to wherever this checkout lives. */
export function readCaptured(version: string, project: string, file: string): string | null {
  const path = join(corpusDir, "captured", `pytest${version}`, project, file);
  if (!existsSync(path)) return null;
  return readFileSync(path, "utf8").split(meta.projectsRoot).join(projectsDir);
}

/** A plain CPython traceback captured from projects/plain/<name>.py, relocated like readCaptured. */
export function readPlainTraceback(name: string): string {
  return readFileSync(join(corpusDir, "captured", "python", `${name}.txt`), "utf8")
    .split(meta.projectsRoot)
    .join(projectsDir);
}

const HEADER_RE = /^_{3,} (.+?) _{3,}$/;
const SUMMARY_RE = /^(FAILED|ERROR) (\S+)(?: - .*)?$/;

/** One failure section of pytest's terminal report, turned into a Failure the way a text fallback would see it. */
export interface TextFailure {
  nodeId: string;
  failure: Failure;
}

/** Splits pytest's terminal output into one Failure per FAILURES/ERRORS section, node ids from the summary lines. */
export function failuresFromTerminal(text: string): TextFailure[] {
  const lines = text.split("\n");
  const summary = lines.map((l) => SUMMARY_RE.exec(l)).filter((m): m is RegExpExecArray => m !== null);
  const out: TextFailure[] = [];
  for (let i = 0; i < lines.length; i++) {
    const header = HEADER_RE.exec(lines[i]!);
    if (!header) continue;
    let end = i + 1;
    while (end < lines.length && !HEADER_RE.test(lines[end]!) && !/^={3,}/.test(lines[end]!)) end++;
    const body = lines.slice(i + 1, end).join("\n");
    const title = header[1]!;
    let phase: FailurePhase = "call";
    let nodeId: string | undefined;
    const collect = /^ERROR collecting (.+)$/.exec(title);
    const fixture = /^ERROR at (setup|teardown) of (.+)$/.exec(title);
    if (collect) {
      phase = "collect";
      nodeId = collect[1]!;
    } else if (fixture) {
      phase = fixture[1] as FailurePhase;
      nodeId = summary.find((m) => m[1] === "ERROR" && m[2]!.endsWith(`::${fixture[2]}`))?.[2];
    } else {
      nodeId = summary.find((m) => m[1] === "FAILED" && m[2]!.endsWith(`::${title.replace(/\./g, "::")}`))?.[2];
    }
    if (!nodeId) continue;
    const parsed = parsePythonTraceback(body);
    const [testFile, ...rest] = nodeId.split("::");
    out.push({
      nodeId,
      failure: {
        nodeId,
        testFile: testFile!,
        testName: rest.join("::"),
        errorType: parsed.errorType,
        errorMessage: parsed.errorMessage,
        stackTrace: body,
        lineNumber: null,
        faultFile: null,
        faultLine: null,
        frames: [],
        phase,
        durationSeconds: 0,
      },
    });
    i = end - 1;
  }
  return out;
}
