// ts-missing-import: `ReferenceError: X is not defined` → the language service's "import" fix from the module that should
// provide X, restoring in the same declaration the other names the file lost with it (one deleted import).
import { isBuiltin } from "node:module";
import { dirname, resolve } from "node:path";
import { isJavaScriptPath, isScriptPath } from "../../analysis/language.js";
import { notDefinedName } from "../../analysis/v8-messages.js";
import type { FixProposal } from "../../domain/fix.js";
import { declaredPackages, packageNameOf } from "../../ts-project/packages.js";
import type { TsCodeFix, TsProject } from "../../ts-project/types.js";
import { applyTextChanges } from "./ts-edits.js";
import { editsFor, failureLocation, fixesCleanly, readError, tsProposal, type TsLocation } from "./ts-facts.js";
import { documentedImport } from "./js-documented-import.js";
import { projectImportHabit } from "./js-import-habit.js";
import { chooseImportSource, importFacts, type ImportChoice } from "./ts-import-source.js";
import { failureScopes, nearest } from "./ts-near.js";
import type { FixPattern, PatternContext } from "./types.js";

// "Cannot find name", "... Did you mean", "Cannot find namespace", "refers to a UMD global", shorthand property.
export const MISSING_NAME_CODES = new Set([2304, 2552, 2503, 2686, 18004]);
const SPECIFIER_RE = /(?:import|from) ["']([^"']+)["']/;

/** The undefined name of a ReferenceError. */
export function undefinedName(errorType: string, message: string): string | null {
  if (errorType !== "ReferenceError") return null;
  return notDefinedName(message);
}

/** The module an import fix imports from, read off its description (`Add import from "./money.js"`). */
export const importedModule = (fix: TsCodeFix): string | null => SPECIFIER_RE.exec(fix.description)?.[1] ?? null;

/** Whether importing from `spec` into `file` stays inside what the project already has: its own files, node builtins, declared packages. */
function allowedModule(spec: string, projectRoot: string, file: string): boolean {
  if (spec.startsWith(".") || spec.startsWith("/")) return true;
  if (isBuiltin(spec)) return true;
  return declaredPackages(projectRoot, dirname(resolve(projectRoot, file))).has(packageNameOf(spec));
}

/** The name a missing-name diagnostic is about (its first quoted name). */
const missingName = (fix: TsCodeFix): string | null => /'([^']+)'/.exec(fix.diagnostic.message)?.[1] ?? null;

/** The modules the import fixes offer, each once. */
const offeredModules = (fixes: readonly TsCodeFix[]): string[] =>
  [...new Set(fixes.map(importedModule))].filter((m): m is string => m !== null);

/** The module to import `name` from, among those the import fixes offer that the project may use; null when it is a guess. */
async function sourceFor(ctx: PatternContext, at: TsLocation, name: string, fixes: readonly TsCodeFix[]): Promise<ImportChoice | null> {
  const specs = offeredModules(fixes).filter((m) => allowedModule(m, ctx.projectRoot, at.file));
  if (specs.length === 0) return null;
  const facts = await importFacts(ctx.typescript!, at.file, name, specs);
  if (facts) return chooseImportSource(facts);
  return specs.length === 1 ? { spec: specs[0]!, reason: "the one module exporting it" } : null;
}

/**
 * The file's text with `names` imported from `spec`, one import fix after the other (each on the text the previous
 * one left), so the names share one declaration, merged into an existing import of that module when there is one and
 * placed in it as TypeScript sorts it. Null when `required` gets no such fix; another name without one is left out.
 */
async function withImports(
  project: TsProject,
  file: string,
  before: string,
  names: readonly string[],
  spec: string,
  required: string,
): Promise<{ text: string; names: string[] } | null> {
  let text = before;
  const done: string[] = [];
  for (const name of names) {
    const fixes = await project.codeFixes(file, { text, fixNames: ["import"] });
    const fix = fixes.find((f) => MISSING_NAME_CODES.has(f.diagnostic.code) && missingName(f) === name && importedModule(f) === spec);
    if (!fix || fix.changes.some((c) => c.file !== file)) continue;
    text = applyTextChanges(text, fix.changes);
    done.push(name);
  }
  return done.includes(required) ? { text, names: done } : null;
}

/** A proposal restoring `restored`, an import TypeScript did not offer, when the file then checks as cleanly as before. */
async function restoredImport(
  ctx: PatternContext,
  project: TsProject,
  file: string,
  name: string,
  restored: { text: string; statement: string },
  why: string,
  confidence: number,
): Promise<FixProposal | null> {
  const before = await ctx.readFile(file);
  const files = new Map([[file, { before, after: restored.text }]]);
  if (!(await fixesCleanly(project, files))) return null;
  const edits = editsFor(files);
  if (!edits) return null;
  const explanation = `Import ${name} in ${file} with \`${restored.statement}\`: it is used there but not imported, and ${why}.`;
  return tsProposal("add_import", edits, explanation, confidence);
}

const readmeWhy = (pkg: string): string =>
  `the README of "${pkg}", a declared dependency, imports it so (and no other declared package's does)`;

/**
 * No import fix is offered (a plain JS file TypeScript does not check reports no missing name; a package without
 * types exports nothing TypeScript knows): in an unchecked JS file, the statement the project's other files import the
 * name with, when there is one way only; else the one import a declared package's README documents for the name.
 * Either is restored after the file's last import.
 */
async function unofferedImportProposal(ctx: PatternContext, project: TsProject, file: string, name: string): Promise<FixProposal | null> {
  const reported = (await project.diagnostics(file)).some((d) => MISSING_NAME_CODES.has(d.code) && d.message.includes(`'${name}'`));
  // In a checked file TypeScript's own fixes decide among the project's modules: it offered none of them.
  const habit = !reported && isJavaScriptPath(file) ? await projectImportHabit(project, file, name) : null;
  if (habit) {
    const why = habit.uses === 1 ? "another project file imports it so" : `${habit.uses} other project files import it so`;
    return restoredImport(ctx, project, file, name, habit, why, 0.8);
  }
  const docs = await documentedImport(project, file, name);
  return docs ? restoredImport(ctx, project, file, name, docs, readmeWhy(docs.pkg), 0.7) : null;
}

/**
 * TypeScript offers only Node builtins that tie for the name (punycode's and querystring's `encode`): a package the
 * project declares but nothing in the program imports any more is not on offer. The one declared package whose README
 * imports the name is the choice; else none.
 */
async function builtinTieProposal(
  ctx: PatternContext,
  project: TsProject,
  file: string,
  name: string,
  specs: readonly string[],
): Promise<FixProposal | null> {
  if (specs.length < 2 || !specs.every((s) => isBuiltin(s))) return null;
  // The project's own declaration of the name, not on offer, is what the file lost; an outside import would shadow it.
  if ((await importFacts(project, file, name, specs))?.projectDeclares !== false) return null;
  const docs = await documentedImport(project, file, name);
  const why = `${readmeWhy(docs?.pkg ?? "")}, where only Node builtins that tie (${specs.join(", ")}) were on offer`;
  return docs ? restoredImport(ctx, project, file, name, docs, why, 0.7) : null;
}

/**
 * The import of `name` into `at.file`, where it is used but not defined: TypeScript's own import fix from the module that
 * should provide it (restoring in the same declaration the other names the file lost with it), else an import the
 * project or a declared package's README writes. Null when the choice would be a guess.
 */
export async function importProposal(ctx: PatternContext, project: TsProject, at: TsLocation, name: string): Promise<FixProposal | null> {
  const missing = (await project.codeFixes(at.file, { fixNames: ["import"] })).filter((f) => MISSING_NAME_CODES.has(f.diagnostic.code));
  const own = missing.filter((f) => missingName(f) === name);
  if (own.length === 0) return unofferedImportProposal(ctx, project, at.file, name);
  // The uses nearest the failure; the runtime line and the compiler's can differ (source maps, a use on a
  // neighbouring line), so without one there any use in the file counts.
  const near = nearest(own, [...(await failureScopes(project, at)), { from: 1, to: Number.MAX_SAFE_INTEGER }]);
  const chosen = await sourceFor(ctx, at, name, own);
  if (!chosen) return builtinTieProposal(ctx, project, at.file, name, offeredModules(own));
  if (near.length === 0) return null;
  const { spec } = chosen;
  const target = (near.find((f) => importedModule(f) === spec) ?? near[0]!).diagnostic;
  // Other names the file misses that come from the same module went with the same deleted import: restored with it.
  const others: string[] = [];
  for (const other of new Set(missing.map(missingName))) {
    if (!other || other === name) continue;
    const fixes = missing.filter((f) => missingName(f) === other);
    if ((await sourceFor(ctx, at, other, fixes))?.spec === spec) others.push(other);
  }
  const before = await ctx.readFile(at.file);
  const restored = await withImports(project, at.file, before, [name, ...others].sort(), spec, name);
  if (!restored) return null;
  const files = new Map([[at.file, { before, after: restored.text }]]);
  if (!(await fixesCleanly(project, files, target))) return null;
  const edits = editsFor(files);
  if (!edits) return null;
  const names = restored.names;
  const used =
    names.length === 1
      ? `it is used there but not imported, and "${spec}" is ${chosen.reason}`
      : `they are used there but not imported (one lost import), "${spec}" is, for ${name}, ${chosen.reason}, ` +
        "and it is the choice for the others too";
  const testNote = ctx.isTestFile(at.file) ? " (an import is the one edit allowed in a test file)" : "";
  return tsProposal(
    "add_import",
    edits,
    `Import ${names.join(", ")} from "${spec}" in ${at.file}: ${used} (TypeScript's own import fix)${testNote}.`,
    spec.startsWith(".") ? 0.9 : 0.8,
  );
}

export const tsMissingImportPattern = {
  id: "ts-missing-import",
  languages: ["typescript"],
  strategy: "add_import",
  matches: (failure) => readError(failure, undefinedName) !== null,
  async propose(ctx: PatternContext): Promise<FixProposal | null> {
    const project = ctx.typescript;
    const name = readError(ctx.failure, undefinedName);
    // The name is missing where it was used; a test file may gain an import (the one edit allowed there).
    const at = failureLocation({ ...ctx, allowTestEdits: true });
    if (!project || !name || !at || !isScriptPath(at.file)) return null;
    return importProposal(ctx, project, at, name);
  },
} satisfies FixPattern;
