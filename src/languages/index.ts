// The language registry: each SourceLanguage's LanguageSupport, and the one place a file's language picks its support.
import { languageOfPath, type SourceLanguage } from "../analysis/language.js";
import { pythonLanguage } from "./python/index.js";
import type { LanguageSupport } from "./types.js";
import { typescriptLanguage } from "./typescript/index.js";

export type { FileShape, LanguageSupport, TestComparison } from "./types.js";

export const LANGUAGES = {
  python: pythonLanguage,
  typescript: typescriptLanguage,
} as const satisfies Record<SourceLanguage, LanguageSupport>;

/** The support of the language a project file is written in; null for other files (JSON, text: only the text checks run). */
export function languageSupportFor(relPath: string): LanguageSupport | null {
  const language = languageOfPath(relPath);
  return language === null ? null : LANGUAGES[language];
}
