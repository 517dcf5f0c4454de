// Frame classification: is a stack frame the project's own code, a test, an installed library or the stdlib?
import { isAbsolute, relative, resolve, sep } from "node:path";
import type { StackFrame } from "../domain/failure.js";
import { pathSegments } from "../domain/node-id.js";
import { isPytestTestPath } from "./language.js";

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

/** The frame's path relative to the project root with forward slashes, or null when it lies outside the project. */
export function projectRelativePath(file: string, projectRoot: string): string | null {
  if (file.startsWith("<")) return null;
  const abs = isAbsolute(file) ? file : resolve(projectRoot, file);
  const rel = relative(resolve(projectRoot), abs);
  if (rel === "" || rel.startsWith("..") || isAbsolute(rel)) return null;
  return rel.split(sep).join("/");
}

/**
 * Whether a project-relative path is test code to the analysis: pytest's conventions (isPytestTestPath), and a
 * testing/ folder as pytest's own repository keeps its tests, whose frames are never where a bug is fixed.
 */
export function isTestPath(relPath: string): boolean {
  return isPytestTestPath(relPath) || pathSegments(relPath).dirs.includes("testing");
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
