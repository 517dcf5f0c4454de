// The workspaces of a JS monorepo root: npm/yarn "workspaces" in package.json, pnpm-workspace.yaml, lerna.json "packages".
import { readdirSync, statSync } from "node:fs";
import { join, posix } from "node:path";
import { readTextOrEmpty } from "./config-files.js";

/** A monorepo root's workspace declaration: where it comes from and the project-relative folders of its packages. */
export interface Workspaces {
  /** "package.json workspaces", "pnpm-workspace.yaml" or "lerna.json". */
  source: string;
  /** Project-relative folders holding a package.json, sorted. */
  dirs: string[];
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((s): s is string => typeof s === "string") : []);

/** The entries of pnpm-workspace.yaml's `packages:` list (a block list of plain or quoted strings). */
export function pnpmWorkspacePatterns(yaml: string): string[] {
  const out: string[] = [];
  let inPackages = false;
  for (const line of yaml.split("\n")) {
    if (/^packages\s*:/.test(line)) {
      inPackages = true;
      continue;
    }
    if (!inPackages || line.trim() === "" || line.trim().startsWith("#")) continue;
    const item = /^\s+-\s*(?:"([^"]*)"|'([^']*)'|([^\s#]+))/.exec(line);
    if (!item) {
      if (!/^\s/.test(line)) inPackages = false; // the next top-level key ends the list
      continue;
    }
    out.push(item[1] ?? item[2] ?? item[3]!);
  }
  return out;
}

/** The declared workspace patterns and their source, or null when the folder is no workspace root. */
function declaredPatterns(root: string, entries: readonly string[]): { source: string; patterns: string[] } | null {
  if (entries.includes("package.json")) {
    const pkg = parseJson(readTextOrEmpty(join(root, "package.json"))) as { workspaces?: unknown } | null;
    const ws = pkg?.workspaces;
    const patterns = Array.isArray(ws) ? strings(ws) : ws && typeof ws === "object" ? strings((ws as { packages?: unknown }).packages) : [];
    if (patterns.length > 0) return { source: "package.json workspaces", patterns };
  }
  if (entries.includes("pnpm-workspace.yaml")) {
    return { source: "pnpm-workspace.yaml", patterns: pnpmWorkspacePatterns(readTextOrEmpty(join(root, "pnpm-workspace.yaml"))) };
  }
  if (entries.includes("lerna.json")) {
    const lerna = parseJson(readTextOrEmpty(join(root, "lerna.json"))) as { packages?: unknown } | null;
    const patterns = strings(lerna?.packages);
    // lerna's default when lerna.json names no packages.
    return { source: "lerna.json", patterns: patterns.length > 0 ? patterns : ["packages/*"] };
  }
  return null;
}

const isDir = (path: string): boolean => {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
};

function subdirs(root: string, rel: string): string[] {
  try {
    return readdirSync(join(root, rel)).filter((n) => n !== "node_modules" && !n.startsWith(".") && isDir(join(root, rel, n)));
  } catch {
    return [];
  }
}

/** A glob segment ("*", "pkg-*") as a regular expression over one folder name. */
const segmentRe = (segment: string): RegExp =>
  new RegExp(
    `^${segment
      .split("*")
      .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
      .join("[^/]*")}$`,
  );

/** The folders a workspace pattern matches ("packages/*", "apps/**", "tools/cli"); `**` goes at most four levels down. */
function expandPattern(root: string, pattern: string): string[] {
  const segments = posix
    .normalize(pattern.replace(/^\.\//, ""))
    .split("/")
    .filter((s) => s !== "" && s !== ".");
  let current = [""];
  for (const segment of segments) {
    const next: string[] = [];
    for (const rel of current) {
      if (segment === "**") {
        let level = [rel];
        for (let depth = 0; depth < 4 && level.length > 0; depth++) {
          next.push(...level);
          level = level.flatMap((r) => subdirs(root, r).map((n) => posix.join(r, n)));
        }
      } else if (segment.includes("*")) {
        const re = segmentRe(segment);
        next.push(
          ...subdirs(root, rel)
            .filter((n) => re.test(n))
            .map((n) => posix.join(rel, n)),
        );
      } else if (isDir(join(root, rel, segment))) {
        next.push(posix.join(rel, segment));
      }
    }
    current = next;
  }
  return current.filter((rel) => rel !== "" && !rel.startsWith(".."));
}

/** The workspaces a folder declares (negated patterns excluded), or null when it declares none. */
export function findWorkspaces(root: string, entries: readonly string[]): Workspaces | null {
  const declared = declaredPatterns(root, entries);
  if (!declared) return null;
  const excluded = new Set(declared.patterns.filter((p) => p.startsWith("!")).flatMap((p) => expandPattern(root, p.slice(1))));
  const dirs = new Set(
    declared.patterns
      .filter((p) => !p.startsWith("!"))
      .flatMap((p) => expandPattern(root, p))
      .filter((rel) => !excluded.has(rel) && readTextOrEmpty(join(root, rel, "package.json")) !== ""),
  );
  return { source: declared.source, dirs: [...dirs].sort() };
}
