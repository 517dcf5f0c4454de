// The language registry: each SourceLanguage's LanguageSupport (createFixContext picks a file's support from it).
import type { SourceLanguage } from "../analysis/language.js";
import { pythonLanguage } from "./python/index.js";
import type { LanguageSupport } from "./types.js";
import { typescriptLanguage } from "./typescript/index.js";

export type { FileShape, LanguageSupport, TestFileComparison } from "./types.js";

export const LANGUAGES = {
  python: pythonLanguage,
  typescript: typescriptLanguage,
} as const satisfies Record<SourceLanguage, LanguageSupport>;
