// Frame classification: is a stack frame the project's own code, a test, an installed library or the stdlib?
import { isAbsolute, relative, resolve, sep } from "node:path";
import type { StackFrame } from "../domain/failure.js";

export type FrameKind = NonNullable<StackFrame["kind"]>;

const LIBRARY_DIR_RE = /[\\/](?:site-packages|dist-packages)[\\/]/;
const VENDORED_SEGMENTS = new Set([
  ".venv",
  "venv",
  "env",
  ".tox",
  ".nox",
  "node_modules",
  "site-packages",
  "dist-packages",
  "__pypackages__",
]);
const STDLIB_DIR_RE = /[\\/]lib[\\/](?:python|pypy)\d[\d.]*[\\/]|[\\/]Lib[\\/]/;
const TEST_FILE_RE = /^(?:test_.*\.py|.*_test\.py|conftest\.py)$/;
const TEST_DIRS = new Set(["tests", "test", "testing"]);

/** The frame's path relative to the project root with forward slashes, or null when it lies outside the project. */
export function projectRelativePath(file: string, projectRoot: string): string | null {
  if (file.startsWith("<")) return null;
  const abs = isAbsolute(file) ? file : resolve(projectRoot, file);
  const rel = relative(resolve(projectRoot), abs);
  if (rel === "" || rel.startsWith("..") || isAbsolute(rel)) return null;
  return rel.split(sep).join("/");
}

/** Whether a project-relative path is a pytest test module, conftest, or lives in a tests folder. */
export function isTestPath(relPath: string): boolean {
  const parts = relPath.split("/");
  const base = parts[parts.length - 1] ?? "";
  return TEST_FILE_RE.test(base) || parts.slice(0, -1).some((p) => TEST_DIRS.has(p));
}

/** Classifies a frame's file: "<frozen ...>" and interpreter paths are stdlib, site-packages library, tests test. */
export function classifyFrameFile(file: string, projectRoot: string): FrameKind {
  if (file.startsWith("<")) return "stdlib";
  if (LIBRARY_DIR_RE.test(file)) return "library";
  const rel = projectRelativePath(file, projectRoot);
  if (rel === null) return STDLIB_DIR_RE.test(file) ? "stdlib" : "library";
  if (rel.split("/").some((p) => VENDORED_SEGMENTS.has(p))) return "library";
  return isTestPath(rel) ? "test" : "project";
}

/** The frame's kind: the reported one when present, otherwise classified from its path. */
export const frameKind = (frame: StackFrame, projectRoot: string): FrameKind => frame.kind ?? classifyFrameFile(frame.file, projectRoot);
