// The CommonFixPatterns registry: deterministic fixes tried in order before any LLM call.
import { readFile } from "node:fs/promises";
import { isTestPath } from "../../analysis/frames.js";
import { failureLanguage } from "../../analysis/language.js";
import type { Analysis } from "../../domain/analysis.js";
import type { Failure } from "../../domain/failure.js";
import type { FixProposal } from "../../domain/fix.js";
import { isHelperOpError } from "../../python/client.js";
import { languageServicesOf, type LanguageServices } from "../../languages/services.js";
import { resolveProjectFile } from "../paths.js";
import { constantGuardPattern } from "./constant-guard.js";
import { droppedReturnPattern } from "./dropped-return.js";
import { missingAwaitPattern } from "./missing-await.js";
import { missingCommitPattern } from "./missing-commit.js";
import { missingImportPattern } from "./missing-import.js";
import { nameTypoPattern } from "./name-typo.js";
import { noneGuardPattern } from "./none-guard.js";
import { tsMissingAwaitPattern } from "./ts-missing-await.js";
import { tsMissingImportPattern } from "./ts-missing-import.js";
import { tsSpellingPattern } from "./ts-spelling.js";
import { tsUndefinedGuardPattern } from "./ts-undefined-guard.js";
import { tsUnresolvedNamePattern } from "./ts-unresolved-name.js";
import type { FixPattern, ImportCatalogsInput, PatternContext } from "./types.js";
import { wrongAssertionPattern } from "./wrong-assertion.js";

export type { FixPattern, PatternContext, ImportCatalogsInput, PatternLanguage } from "./types.js";

/**
 * Every pattern, in the order they are tried. Root causes before symptoms: a missing import before a "typo"
 * (Python suggests `bytes` for an unimported `pytest`), a missing commit before a None guard that would hide it,
 * a None test left constant or a value not returned before a guard at the place the None arrived. Last, a name nothing
 * defines in a file the failing test runs, for a failure that shows no ReferenceError (it is the cause only when no
 * pattern finds one nearer).
 */
export const patterns = {
  "missing-import": missingImportPattern,
  "missing-await": missingAwaitPattern,
  "missing-commit": missingCommitPattern,
  "name-typo": nameTypoPattern,
  "constant-guard": constantGuardPattern,
  "dropped-return": droppedReturnPattern,
  "none-guard": noneGuardPattern,
  "wrong-assertion": wrongAssertionPattern,
  "ts-missing-import": tsMissingImportPattern,
  "ts-missing-await": tsMissingAwaitPattern,
  "ts-spelling": tsSpellingPattern,
  "ts-undefined-guard": tsUndefinedGuardPattern,
  "ts-unresolved-name": tsUnresolvedNamePattern,
} satisfies Record<string, FixPattern>;

export type PatternId = keyof typeof patterns;

/** A pattern's proposal and which pattern made it. */
export interface PatternFix {
  patternId: PatternId;
  proposal: FixProposal;
}

/**
 * Tries the matching patterns of the failure's language in registry order; the first proposal wins, null when none is
 * sure. A pattern whose helper op timed out or crashed declines (the reason goes to onDecline) and the next is tried.
 */
export async function findPatternFix(
  ctx: PatternContext,
  options: { only?: readonly PatternId[]; onDecline?: (id: PatternId, reason: string) => void } = {},
): Promise<PatternFix | null> {
  const language = failureLanguage(ctx.failure, ctx.analysis.fileToFix);
  for (const id of Object.keys(patterns) as PatternId[]) {
    if (options.only && !options.only.includes(id)) continue;
    const pattern: FixPattern = patterns[id];
    if (!pattern.languages.includes(language)) continue;
    if (!pattern.matches(ctx.failure, ctx.analysis)) continue;
    const proposal = await pattern.propose(ctx).catch((e: unknown) => {
      if (!isHelperOpError(e)) throw e;
      options.onDecline?.(id, `pattern ${id} declined: it could not run (${e.message.split("\n")[0] ?? e.op})`);
      return null;
    });
    if (proposal) return { patternId: id, proposal };
  }
  return null;
}

/** Builds a PatternContext with defaults: files read inside the project root only, pytest's test-file rule. */
export function createPatternContext(
  deps: LanguageServices & {
    failure: Failure;
    analysis: Analysis;
    projectRoot: string;
    allowTestEdits?: boolean;
    isTestFile?: (rel: string) => boolean;
    importCatalogs?: ImportCatalogsInput;
  },
): PatternContext {
  return {
    failure: deps.failure,
    analysis: deps.analysis,
    projectRoot: deps.projectRoot,
    ...languageServicesOf(deps),
    allowTestEdits: deps.allowTestEdits ?? false,
    isTestFile: deps.isTestFile ?? isTestPath,
    readFile: async (rel) => readFile((await resolveProjectFile(deps.projectRoot, rel)).real, "utf8"),
    importCatalogs: deps.importCatalogs,
  };
}
