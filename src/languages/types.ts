// LanguageSupport: the one interface each language implements for the fix validator; chosen once per file by src/languages/index.ts.
import type { SourceLanguage } from "../analysis/language.js";
import type { TestWeakening } from "../domain/validation.js";
import type { ImportCheckResult } from "../validation/check-imports.js";
import type { CheckResult, FailingTestText, FixContext } from "../validation/context.js";
import type { Outline } from "../validation/estimate-risk.js";
import type { Side } from "../validation/facts.js";
import type { Finding } from "../validation/findings.js";

/** How the fixed version of a test file checks less than the original, in the language's own terms. */
export interface TestFileComparison {
  /** False when either version does not parse (the weakenings then come from a text comparison). */
  parsed: boolean;
  /** Why a structural comparison was impossible, when it was. */
  parseNote: string | null;
  /** The edit only adds imports (allowed without allowTestEdits). */
  importOnly: boolean;
  weakenings: TestWeakening[];
}

/** What a change to a test configuration file does to the test settings in it. */
export interface TestConfigChange {
  /** The change touches a test or coverage section (a pytest/coverage section, a whole pytest.ini, a vitest/jest setting). */
  touched: boolean;
  /** Protected sections the change touches, e.g. "tool.pytest.ini_options". */
  sections: string[];
  /** Changes that make the suite check less (always rejected). */
  weakenings: string[];
}

/** What the risk estimate reads off one version: its definitions (null when it does not parse) and its import lines. */
export interface FileShape {
  outline: Outline | null;
  importLines: Set<number>;
}

/**
 * The language half of every validation check: the language-neutral checks (src/validation/check-*.ts) ask the file's
 * LanguageSupport and never branch on the language themselves. Adding a language is one folder beside python/ and
 * typescript/ implementing this, plus one line in the registry.
 */
export interface LanguageSupport {
  readonly id: SourceLanguage;
  /** The fixed file compiles (reasons), and what it newly warns about (warnings). */
  checkSyntax(ctx: FixContext): Promise<CheckResult>;
  /** The imports the fix adds resolve; the third-party packages it starts depending on. */
  checkImports(ctx: FixContext): Promise<ImportCheckResult>;
  /** The lines the fix adds follow the file's indentation. */
  checkIndentation(ctx: FixContext): Promise<CheckResult>;
  /** The fixed version of a test file against the original. */
  compareTests(ctx: FixContext): Promise<TestFileComparison>;
  /**
   * Whether a project file is a test by this language's runners' conventions (test modules, conftest.py and tests/
   * folders; vitest/jest test, snapshot and setup files), before any runner's own rule.
   */
  isTestPath(relPath: string): boolean;
  /**
   * Whether a project file may hold settings of this language's test runners
   * (pytest.ini, pyproject.toml; vitest.config.ts, package.json).
   */
  isTestConfigPath(relPath: string): boolean;
  /**
   * What the fix does to the test settings of a file isTestConfigPath accepts:
   * the sections it touches, the changes that weaken the suite.
   */
  compareTestConfig(ctx: FixContext): Promise<TestConfigChange>;
  /** The policy's findings in one version; null when it does not parse (the syntax check reports that). */
  policyFindings(ctx: FixContext, side: Side, isTest: boolean): Promise<Finding[] | null>;
  /** The overfit rule's findings in both versions, against the failing tests of this language; null when either does not parse. */
  overfitFindings(ctx: FixContext, tests: readonly FailingTestText[]): Promise<{ original: Finding[]; fixed: Finding[] } | null>;
  /** One version's definitions and import lines, for the risk estimate. */
  shape(ctx: FixContext, side: Side): Promise<FileShape>;
}
