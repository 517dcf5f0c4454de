// missing-import: `NameError: name 'X' is not defined` → add the import of X where the file keeps its imports.
import { loadImportAliases } from "../../python/import-aliases.js";
import { loadStdlibNames } from "../../python/stdlib-names.js";
import type { Failure } from "../../domain/failure.js";
import type { FixProposal } from "../../domain/fix.js";
import { frameKind, projectRelativePath } from "../../analysis/frames.js";
import { parsePythonTraceback } from "../../parsers/traceback.js";
import { failureText, messageHead, ownFrames, raisingFrame, shortType } from "./failure-facts.js";
import { importPlan, type CatalogCandidate } from "./python-ops.js";
import type { FixPattern, ImportCatalogsInput, PatternContext } from "./types.js";

const NAME_MESSAGE_RE = /^name '([A-Za-z_]\w*)' is not defined/;
const NAME_ERROR_RE = /NameError: name '([A-Za-z_]\w*)' is not defined/;
// `from pkg import X` after pkg lost its own import of X (a package __init__ re-export).
const CANNOT_IMPORT_RE = /cannot import name '([A-Za-z_]\w*)' from '([\w.]+)' \(([^)]+\.py)\)/;

/** The undefined name of a NameError (also when it surfaced while collecting a test module). */
export function missingName(f: Failure): string | null {
  if (shortType(f.errorType) === "NameError") {
    const m = NAME_MESSAGE_RE.exec(messageHead(f));
    if (m) return m[1]!;
  }
  if (f.phase === "collect" || shortType(f.errorType) === "NameError") return NAME_ERROR_RE.exec(failureText(f))?.[1] ?? null;
  return null;
}

// Keyed by the catalog's module record, which loadStdlibNames parses once and reuses.
const indexes = new WeakMap<Record<string, string[]>, Map<string, string[]>>();

/** Name → stdlib modules exporting it. */
function nameIndex(catalogs: ImportCatalogsInput): Map<string, string[]> {
  let index = indexes.get(catalogs.stdlibModules);
  if (!index) {
    index = new Map();
    for (const [module, names] of Object.entries(catalogs.stdlibModules)) {
      for (const n of names) index.set(n, [...(index.get(n) ?? []), module]);
    }
    indexes.set(catalogs.stdlibModules, index);
  }
  return index;
}

/** The shipped catalogs: data/stdlib-names.json and data/import-aliases.json. */
const shippedCatalogs = (): ImportCatalogsInput => ({ stdlibModules: loadStdlibNames().modules, aliases: loadImportAliases().aliases });

/** Stdlib and alias candidates for a name from the catalogs; the Python side checks and ranks them. */
export function catalogCandidates(name: string, catalogs: ImportCatalogsInput): CatalogCandidate[] {
  const out: CatalogCandidate[] = [];
  if (Object.hasOwn(catalogs.stdlibModules, name)) out.push({ module: name, name: null, source: "stdlib" });
  for (const module of nameIndex(catalogs).get(name) ?? []) out.push({ module, name, source: "stdlib" });
  const alias = Object.hasOwn(catalogs.aliases, name) ? catalogs.aliases[name] : undefined;
  if (alias && alias !== name) out.push({ module: alias, name: null, asname: name, source: "alias" });
  return out;
}

/** For `ImportError: cannot import name 'X' from 'pkg' (path)`: the name and the project file that should provide it. */
export function unexportedName(f: Failure, projectRoot: string): { name: string; file: string } | null {
  if (!/ImportError$/.test(shortType(f.errorType)) && f.phase !== "collect") return null;
  const text = failureText(f);
  if (/partially initialized module/.test(text)) return null; // a circular import, not a missing one
  const m = CANNOT_IMPORT_RE.exec(text);
  if (!m) return null;
  const file = projectRelativePath(m[3]!, projectRoot);
  return file === null ? null : { name: m[1]!, file };
}

/**
 * A NameError that did not fail the test itself but was printed while it ran (a server thread's handler, a worker
 * that logs tracebacks): the name and where it was raised, read from the captured output's traceback.
 */
export function nameErrorInOutput(f: Failure, projectRoot: string): { name: string; file: string; line: number } | null {
  const out = f.capturedOutput ?? "";
  const m = NAME_ERROR_RE.exec(out);
  if (!m) return null;
  const start = out.lastIndexOf("Traceback (most recent call last):", m.index);
  if (start < 0) return null;
  const { frames } = parsePythonTraceback(out.slice(start, m.index + m[0].length));
  const last = frames[frames.length - 1];
  if (!last) return null;
  const kind = frameKind(last, projectRoot);
  const file = projectRelativePath(last.file, projectRoot);
  return file !== null && (kind === "project" || kind === "test") ? { name: m[1]!, file, line: last.line } : null;
}

const CONFIDENCE: Record<string, number> = { "project-import": 0.95, project: 0.9, stdlib: 0.85, alias: 0.8, installed: 0.75 };

export const missingImportPattern = {
  id: "missing-import",
  languages: ["python"],
  strategy: "add_import",
  matches: (failure, analysis) =>
    missingName(failure) !== null ||
    CANNOT_IMPORT_RE.test(failureText(failure)) ||
    (analysis.fixStrategy === "add_import" && NAME_ERROR_RE.test(failureText(failure))) ||
    NAME_ERROR_RE.test(failure.capturedOutput ?? ""),
  async propose(ctx: PatternContext): Promise<FixProposal | null> {
    const unexported = unexportedName(ctx.failure, ctx.projectRoot);
    if (unexported && !ctx.isTestFile(unexported.file)) return plan(ctx, unexported.name, unexported.file, undefined);
    const name = missingName(ctx.failure);
    if (!name) {
      const printed = nameErrorInOutput(ctx.failure, ctx.projectRoot);
      return printed ? plan(ctx, printed.name, printed.file, printed.line) : null;
    }
    // The name is missing where the NameError was raised: the innermost frame, which must be the project's own file.
    let file: string | null;
    if (ctx.failure.frames.length > 0) {
      file = raisingFrame(ctx.failure, ctx.projectRoot)?.file ?? null;
    } else {
      file = ctx.analysis.fileToFix;
    }
    if (!file && ctx.failure.phase === "collect") file = ownFrames(ctx.failure, ctx.projectRoot).pop()?.file ?? ctx.failure.testFile;
    if (!file || !file.endsWith(".py")) return null;
    const line = raisingFrame(ctx.failure, ctx.projectRoot)?.line ?? ctx.analysis.lineNumber ?? undefined;
    return plan(ctx, name, file, line);
  },
} satisfies FixPattern;

/** The other names restored by the same statement, for the explanation. */
function gathered(chosen: { also?: string[] | undefined }): string {
  return chosen.also?.length ? ` (with ${chosen.also.join(", ")}, also unbound there and provided by the same module)` : "";
}

async function plan(ctx: PatternContext, name: string, file: string, line: number | undefined): Promise<FixProposal | null> {
  const catalogs = ctx.importCatalogs ?? shippedCatalogs();
  const args = { file, name, catalog: catalogCandidates(name, catalogs), line: line || undefined };
  let found = await importPlan(ctx.helper, args);
  if (found.chosen && found.others?.length) {
    // A deleted `from m import a, b, c` leaves several names unbound: restore those one module provides in one fix.
    const also = Object.fromEntries(found.others.map((other) => [other, catalogCandidates(other, catalogs)]));
    found = await importPlan(ctx.helper, { ...args, also });
  }
  if (!found.chosen || !found.edit || !found.statement) return null;
  const testNote = ctx.isTestFile(file) ? " (an import is the one edit allowed in a test file)" : "";
  return {
    source: "pattern",
    strategy: "add_import",
    edits: [{ file, ...found.edit }],
    explanation:
      `Add \`${found.statement}\` to ${file} ${found.where ?? ""}: ${name} is used there but not imported; ` +
      `${found.reason}${gathered(found.chosen)}${testNote}.`,
    confidence: CONFIDENCE[found.chosen.source] ?? 0.7,
  };
}
