// ts-missing-import: `ReferenceError: X is not defined` → the language service's "import" fix from the one module exporting X.
import { builtinModules } from "node:module";
import { dirname, resolve } from "node:path";
import { isScriptPath } from "../../analysis/language.js";
import { notDefinedName } from "../../analysis/v8-messages.js";
import type { FixProposal } from "../../domain/fix.js";
import { declaredPackages, packageNameOf } from "../../typescript/packages.js";
import type { TsCodeFix } from "../../typescript/types.js";
import { changedFiles, editsFor, errorFacts, failureLocation, fixesCleanly, tsProposal } from "./ts-facts.js";
import type { FixPattern, PatternContext } from "./types.js";

// "Cannot find name", "... Did you mean", "Cannot find namespace", "refers to a UMD global", shorthand property.
const MISSING_NAME_CODES = new Set([2304, 2552, 2503, 2686, 18004]);
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
  if (spec.startsWith("node:") || builtinModules.includes(spec)) return true;
  return declaredPackages(projectRoot, dirname(resolve(projectRoot, file))).has(packageNameOf(spec));
}

export const tsMissingImportPattern = {
  id: "ts-missing-import",
  languages: ["typescript"],
  strategy: "add_import",
  matches: (failure) => {
    const { type, message } = errorFacts(failure);
    return undefinedName(type, message) !== null;
  },
  async propose(ctx: PatternContext): Promise<FixProposal | null> {
    const project = ctx.typescript;
    const { type, message } = errorFacts(ctx.failure);
    const name = undefinedName(type, message);
    // The name is missing where it was used; a test file may gain an import (the one edit allowed there).
    const at = failureLocation({ ...ctx, allowTestEdits: true });
    if (!project || !name || !at || !isScriptPath(at.file)) return null;
    const mentions = (fix: TsCodeFix): boolean => MISSING_NAME_CODES.has(fix.diagnostic.code) && fix.diagnostic.message.includes(`'${name}'`);
    const inFile = (await project.codeFixes(at.file, { fixNames: ["import"] })).filter(mentions);
    // The failing line's uses first; the runtime line and the compiler's can differ (source maps, a use on a
    // neighbouring line), so without one there any use in the file counts.
    const onLine = inFile.filter((f) => f.diagnostic.line === at.line);
    const fixes = onLine.length > 0 ? onLine : inFile;
    const modules = [...new Set(fixes.map(importedModule))];
    const spec = modules[0];
    if (modules.length !== 1 || !spec) return null; // none, or several equally plausible modules
    if (!allowedModule(spec, ctx.projectRoot, at.file)) return null;
    const fix = fixes[0]!;
    const files = await changedFiles(ctx, fix.changes);
    if (!(await fixesCleanly(project, files, fix.diagnostic))) return null;
    const edits = editsFor(files);
    if (!edits) return null;
    const testNote = ctx.isTestFile(at.file) ? " (an import is the one edit allowed in a test file)" : "";
    return tsProposal(
      "add_import",
      edits,
      `Import ${name} from "${spec}" in ${at.file}: it is used there but not imported, and "${spec}" is the one project module exporting it (TypeScript's own import fix)${testNote}.`,
      spec.startsWith(".") ? 0.9 : 0.8,
    );
  },
} satisfies FixPattern;
