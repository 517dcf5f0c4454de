// Which tests a JS run selects: test files, folders and node ids turned into runner file arguments plus one name pattern.
import { isAbsolute, join } from "node:path";
import { splitNodeId, stableTestName } from "../../domain/node-id.js";
import { volatileNamePattern } from "../name-pattern.js";

/**
 * A regular expression matching exactly the given test names ("describe > test") against what vitest and
 * jest match `-t`/`--testNamePattern` with: the titles joined by single spaces. A " > " inside a title is
 * allowed either way. A volatile part of a name (src/domain/node-id.ts) matches whatever value it has in this run.
 */
export function exactNamePattern(names: string[]): string {
  const alternatives = names.map((n) => n.split(" > ").map(volatileNamePattern).join("(?: > | )"));
  return `^(?:${alternatives.join("|")})$`;
}

/**
 * The longest name pattern passed on the command line, in bytes. Linux refuses any one argument over 128 KiB (E2BIG);
 * past this the requested files run whole and their results are filtered to the selection instead.
 */
export const MAX_NAME_PATTERN_BYTES = 64 * 1024;

const namesOf = (byFile: Map<string, Set<string>>): string[] => [...new Set([...byFile.values()].flatMap((s) => [...s]))];

/** The tests a run asked for: whole files or folders, and single tests by node id. */
export class JsSelection {
  /** Project-relative files and folders requested whole. */
  private readonly whole = new Set<string>();
  /** Project-relative file → test names ("a > b") requested. */
  private readonly names = new Map<string, Set<string>>();
  /** The same names in their stable form (a test keeps it whatever seed or timestamp this run gave its name). */
  private readonly stableNames = new Map<string, Set<string>>();
  private readonly abs = new Map<string, string>();
  /** Project-relative file → test names ("a > b") left out of the run (tests a resumed run skips). */
  private readonly excluded = new Map<string, Set<string>>();

  constructor(entries: string[], projectRoot: string, toRelative: (absPath: string) => string) {
    for (const entry of entries) {
      const { testFile, testName } = splitNodeId(entry);
      const absPath = isAbsolute(testFile) ? testFile : join(projectRoot, testFile);
      const rel = toRelative(absPath).replace(/\/+$/, "");
      this.abs.set(rel, absPath);
      if (testName === "") this.whole.add(rel);
      else {
        const set = this.names.get(rel) ?? new Set<string>();
        set.add(testName);
        this.names.set(rel, set);
        const stable = this.stableNames.get(rel) ?? new Set<string>();
        stable.add(stableTestName(testName));
        this.stableNames.set(rel, stable);
      }
    }
  }

  /** Absolute paths of every requested file or folder (the runner's file arguments); empty for the whole suite. */
  paths(): string[] {
    return [...this.abs.values()];
  }

  /**
   * The name pattern to pass, or null when a whole file or folder is requested too, or the names would not fit on a
   * command line (results are filtered instead), and no test is excluded. Excluded names are left out in every file
   * (runners match names, not files).
   */
  namePattern(): string | null {
    const names = this.names.size === 0 || this.whole.size > 0 ? null : exactNamePattern(namesOf(this.names));
    const wanted = names !== null && Buffer.byteLength(names) <= MAX_NAME_PATTERN_BYTES ? names : null;
    if (this.excluded.size === 0) return wanted;
    return `^(?!${exactNamePattern(namesOf(this.excluded)).slice(1)})${wanted === null ? "" : `(?:${wanted})`}`;
  }

  /** Leaves a test out of the runs from now on (a test that had to be killed). */
  exclude(relFile: string, titles: string[]): void {
    const set = this.excluded.get(relFile) ?? new Set<string>();
    set.add(titles.join(" > "));
    this.excluded.set(relFile, set);
  }

  /** Whether a result for a file (titles null) or one of its tests belongs to the selection. */
  keeps(relFile: string, titles: string[] | null): boolean {
    const name = titles === null ? null : stableTestName(titles.join(" > "));
    const excluded = this.excluded.get(relFile);
    if (name !== null && excluded && [...excluded].some((n) => stableTestName(n) === name)) return false;
    if (this.abs.size === 0) return true;
    for (const w of this.whole) if (relFile === w || relFile.startsWith(`${w}/`)) return true;
    const names = this.stableNames.get(relFile);
    if (!names) return false;
    return name === null || names.has(name);
  }
}
