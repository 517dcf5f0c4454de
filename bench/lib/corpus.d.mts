// Types for corpus.mjs.
export interface Mutation {
  id: string;
  kind: string;
  how?: string;
  file: string;
  line: number;
  original: string;
  mutated: string;
}
export interface ProjectList {
  project: string;
  origin: { repo: string; commit: string; tag?: string };
  language: "python" | "javascript" | "typescript";
  runner: "pytest" | "vitest" | "jest";
  bareArgs?: string[];
  setup: string[];
  sources: string[];
  kinds: string[];
  mutations?: Mutation[];
  listFile?: string;
}
export interface Counts {
  passed: number;
  failed: number;
  skipped: number;
  errors: number;
}
export interface CommandResult {
  code: number;
  timedOut: boolean;
  stdout: string;
  stderr: string;
  ms: number;
}
export interface BareRun {
  green: boolean;
  code: number;
  timedOut: boolean;
  counts: Counts | null;
  ms: number;
  tail: string;
}
export const listsDir: string;
export function loadProjects(): ProjectList[];
export function sh(
  file: string,
  args: string[],
  opts?: { cwd?: string; timeoutMs?: number; env?: Record<string, string>; input?: string },
): CommandResult;
export function projectDir(corpus: string, project: ProjectList): string;
export function venvPython(corpus: string, project: ProjectList): string;
export function isTestFile(rel: string): boolean;
export function changedFiles(dir: string): string[];
export function restore(dir: string): void;
export function applyMutation(dir: string, m: Mutation): void;
export function bareRun(corpus: string, project: ProjectList, opts?: { bail?: boolean; timeoutMs?: number }): BareRun;
export type Verdict = "fixed" | "equivalent" | "wrong" | "not-green";
export function verdictOf(run: { status: string; bareGreen: boolean; changed: string[]; testFilesTouched: string[] }): Verdict;
