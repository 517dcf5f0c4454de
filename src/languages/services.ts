// LanguageServices: the per-project services the language halves use, declared once and passed on whole.
import type { PythonCaller } from "../python/caller.js";
import type { TsProject } from "../ts-project/types.js";

/**
 * What the patterns and the validation checks of every language use on one project. The composition root
 * (tools/project-services.ts, projectLanguageDeps) builds it once per project; everything between it and the checks
 * takes it by extending this interface and passes it on with languageServicesOf, so a new language's service is one
 * field here (and in languageServicesOf) and one line in projectLanguageDeps.
 */
export interface LanguageServices {
  /** The project's Python helper (PythonHelper, or a fake implementing call()); a JS project's starts on its first call. */
  helper: PythonCaller;
  /** The project's TypeScript language service (vitest/jest projects); without it TS/JS checks are parse-only and TS patterns decline. */
  typescript?: TsProject;
}

/** Just the language services of a larger deps object, to pass on without naming each. */
export function languageServicesOf(deps: LanguageServices): LanguageServices;
export function languageServicesOf(deps: Partial<LanguageServices>): Partial<LanguageServices>;
export function languageServicesOf({ helper, typescript }: Partial<LanguageServices>): Partial<LanguageServices> {
  return { helper, typescript };
}
