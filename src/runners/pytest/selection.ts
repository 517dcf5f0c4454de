// pytestSelection: the node ids a pytest run asks for, split into what pytest's command line can carry and what
// redgreen's plugin picks out after collection: ids no argv can hold (a NUL, control characters) and ids whose names
// vary between runs (a seed, a uuid, a timestamp) are matched by pattern instead.
import { isAbsolute, relative } from "node:path";
import { splitNodeId, stableNodeId } from "../../domain/node-id.js";
import { escapeRegExp, isArgvSafe } from "../../parsers/escape-regexp.js";
import { volatileNamePattern } from "../name-pattern.js";

/** What the plugin keeps (REDGREEN_SELECT_FILE): in `files`, only the items whose node id fully matches a pattern. */
export interface PluginPick {
  files: string[];
  patterns: string[];
}

export interface PytestSelection {
  /** Files, folders and plain node ids for pytest's command line. */
  argv: string[];
  /** Null when the command line says it all. */
  pick: PluginPick | null;
}

/** Whether a node id must be picked by pattern: argv cannot carry it, or its name changes from run to run. */
const needsPick = (nodeId: string): boolean => !isArgvSafe(nodeId) || stableNodeId(nodeId) !== nodeId;

/**
 * Splits the requested entries. A file with a picked test goes on the command line whole and is restricted to its
 * patterns (its other requested tests become exact patterns too), unless the file or its folder was requested whole.
 */
export function pytestSelection(entries: readonly string[], projectRoot: string): PytestSelection {
  const rel = (file: string): string => (isAbsolute(file) ? relative(projectRoot, file) : file).replace(/\/+$/, "");
  const whole = entries.filter((e) => splitNodeId(e).testName === "").map(rel);
  const coveredWhole = (file: string): boolean => whole.some((w) => file === w || file.startsWith(`${w}/`) || w === "" || w === ".");
  const picked = new Set(entries.filter((e) => splitNodeId(e).testName !== "" && needsPick(e)).map((e) => rel(splitNodeId(e).testFile)));
  const restricted = new Set([...picked].filter((f) => !coveredWhole(f)));
  const argv: string[] = [];
  const patterns: string[] = [];
  for (const entry of entries) {
    const { testFile, testName } = splitNodeId(entry);
    const file = rel(testFile);
    if (testName !== "" && restricted.has(file)) patterns.push(`${escapeRegExp(`${file}::`)}${volatileNamePattern(testName)}`);
    // A picked test in a file requested whole is run by that file.
    else if (testName === "" || !needsPick(entry)) argv.push(entry);
  }
  argv.push(...restricted);
  return { argv, pick: restricted.size === 0 ? null : { files: [...restricted], patterns } };
}
