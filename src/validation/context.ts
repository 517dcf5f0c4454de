// FixContext: one proposed change to one file, with per-context memoisation shared by every check.
import { isAbsolute, relative, sep } from "node:path";
import { languageServicesOf, type LanguageServices } from "../languages/services.js";
import type { Violation } from "../domain/validation.js";
import type { SecretCatalog } from "./secret-catalog.js";
import { languageOfPath, type SourceLanguage } from "../analysis/language.js";
import { LANGUAGES, type LanguageSupport } from "../languages/index.js";

/** Size limits a fix must stay within. */
export interface ValidationLimits {
  /** Changed lines (a modified line counts once). */
  maxChangedLines: number;
  /** Growth of the file as a fraction of its original line count. */
  maxGrowthRatio: number;
  /** Growth of up to this many lines is always allowed (a 2-line file may gain an import). */
  minGrowthLines: number;
  /** Shrinking of the file as a fraction of its original line count. */
  maxShrinkRatio: number;
  /** Removing up to this many lines is always allowed. */
  minShrinkLines: number;
  /** Changed lines across all files of one fix (checked by checkFix). */
  maxTotalChangedLines: number;
}

export const DEFAULT_LIMITS: ValidationLimits = {
  maxChangedLines: 20,
  maxGrowthRatio: 0.5,
  minGrowthLines: 3,
  maxShrinkRatio: 0.5,
  minShrinkLines: 3,
  maxTotalChangedLines: 20,
};

/** What validateFix and every check receive. */
/** The language services are needed only for the files of their language (the helper for Python files). */
export interface FixInput extends Partial<LanguageServices> {
  original: string;
  fixed: string;
  /** The edited file, project-relative or absolute. */
  filePath: string;
  projectRoot: string;
  /** Allow edits to tests and test configuration (risk becomes high); weakening stays rejected. */
  allowTestEdits?: boolean;
  limits?: Partial<ValidationLimits>;
  /** The runner's own test-file rule (TestRunnerAdapter.isTestFile); the pytest conventions otherwise. */
  isTestFile?: (relPath: string) => boolean;
  /** Secret catalog to scan with (default: data/secret-patterns.json). */
  secretCatalog?: SecretCatalog;
  /** Environment whose secret-named variables' values must not be written into the code (default process.env). */
  env?: Record<string, string | undefined>;
  /** Accept policy and overfit violations: they become warnings and the risk is always "high" (`--allow-risky`). */
  allowRisky?: boolean;
  /**
   * The tests this fix must turn green, for the overfit rule: each one's node id (`tests/test_x.py::TestC::test_y[p]`,
   * `tests/x.test.ts::describe > title`), its project-relative file, and that file's full text. Without them only
   * the name rules of overfitting run (frame inspection, PYTEST_CURRENT_TEST, expect.getState()).
   */
  failingTests?: FailingTestText[];
}

/** One failing test's text as the overfit rule reads it. */
export interface FailingTestText {
  nodeId: string;
  file: string;
  source: string;
}

/** The language a file is checked as: Python (.py/.pyi), TypeScript/JavaScript, or neither (text checks only). */
export type FixLanguage = SourceLanguage | null;

export interface FixContext
  extends
    Required<Omit<FixInput, "limits" | "isTestFile" | "secretCatalog" | keyof LanguageServices | "allowRisky">>,
    Partial<LanguageServices> {
  limits: ValidationLimits;
  isTestFile?: (relPath: string) => boolean;
  secretCatalog?: SecretCatalog;
  /** Project-relative path with forward slashes. */
  relPath: string;
  language: FixLanguage;
  /** The language half of every check for this file (null: not a Python or TS/JS file, only the text checks apply). */
  support: LanguageSupport | null;
  /** The language whose test runners read this file as their configuration (pyproject.toml, vitest.config.ts, package.json), else null. */
  testConfigSupport: LanguageSupport | null;
  /** Runs `compute` once per key for this context (checks share helper calls and each other's results). */
  memo<T>(key: string, compute: () => Promise<T>): Promise<T>;
}

/** A check's verdict: reasons reject the fix, warnings do not; violations are rule-named (validateFix turns them into reasons). */
export interface CheckResult {
  reasons: string[];
  warnings: string[];
  violations?: Violation[];
}

/** Builds the context a check runs on. */
export function createFixContext(input: FixInput): FixContext {
  const rel = isAbsolute(input.filePath) ? relative(input.projectRoot, input.filePath) : input.filePath;
  const relPath = rel.split(sep).join("/").replace(/^\.\//, "");
  const cache = new Map<string, Promise<unknown>>();
  const language = languageOfPath(relPath);
  return {
    original: input.original,
    fixed: input.fixed,
    filePath: input.filePath,
    projectRoot: input.projectRoot,
    ...languageServicesOf(input),
    allowTestEdits: input.allowTestEdits ?? false,
    limits: { ...DEFAULT_LIMITS, ...input.limits },
    isTestFile: input.isTestFile,
    secretCatalog: input.secretCatalog,
    env: input.env ?? process.env,
    failingTests: input.failingTests ?? [],
    relPath,
    language,
    support: language === null ? null : LANGUAGES[language],
    testConfigSupport: Object.values<LanguageSupport>(LANGUAGES).find((l) => l.isTestConfigPath(relPath)) ?? null,
    memo<T>(key: string, compute: () => Promise<T>): Promise<T> {
      let hit = cache.get(key);
      if (!hit) {
        hit = compute();
        cache.set(key, hit);
      }
      return hit as Promise<T>;
    },
  };
}
