// TsProject: one project's TypeScript language service, with in-memory file overrides (the TS counterpart of the Python helper).
import type ts from "typescript";

/** A compiler diagnostic in one file, 1-based line and column. */
export interface TsDiagnostic {
  /** Project-relative path with forward slashes. */
  file: string;
  /** TypeScript's error code (2304 "Cannot find name", 2339 "Property does not exist", ...). */
  code: number;
  category: "error" | "warning" | "suggestion" | "message";
  /** "syntactic" diagnostics make the file unparseable; "semantic" ones are type errors. */
  kind: "syntactic" | "semantic";
  message: string;
  line: number;
  column: number;
  /** Character offsets in the file's text. */
  start: number;
  length: number;
}

/** One text change of a code fix, in the file's text before the fix. */
export interface TsTextChange {
  /** Project-relative path with forward slashes. */
  file: string;
  start: number;
  length: number;
  newText: string;
}

/**
 * A code fix the language service offers for a diagnostic (fixName "import", "fixAwaitInSyncFunction", "addMissingAwait", "spelling", ...).
 */
export interface TsCodeFix {
  fixName: string;
  description: string;
  /** The diagnostic it fixes. */
  diagnostic: TsDiagnostic;
  changes: TsTextChange[];
}

/** A project's language service: diagnostics and code fixes, optionally with one file's text replaced in memory. */
export interface TsProject {
  /** Absolute project root. */
  readonly projectRoot: string;
  /** Syntactic then semantic diagnostics of one project file; `text` replaces the file's content for this call only. */
  diagnostics(rel: string, text?: string): Promise<TsDiagnostic[]>;
  /**
   * Code fixes for the file's diagnostics on lines [fromLine, toLine] (all lines when absent), optionally only these fix
   * names; `text` replaces the file's content for this call only (the changes' offsets are then in that text).
   */
  codeFixes(
    rel: string,
    options?: { fromLine?: number; toLine?: number; fixNames?: readonly string[]; text?: string },
  ): Promise<TsCodeFix[]>;
  /** Project-relative paths of the project modules a file imports (resolved through the compiler's module resolution). */
  localImports(rel: string): Promise<string[]>;
  /**
   * Forgets everything read from disk: the config, the file list, every file's text (TS's lib and node_modules
   * included, which are otherwise read once). Edits to project files are seen without it, by content.
   */
  refresh(): void;
  /** The compiler options the project is checked with (its tsconfig.json's, or the defaults without one). */
  compilerOptions?(): Promise<ts.CompilerOptions>;
  /**
   * Runs `fn` against the compiler's view of one file (AST, type checker); `text` replaces the file for this call only.
   * With `importers`, the project's files that import it are in the program for this call (test files are otherwise
   * only when named).
   */
  inspect?<T>(rel: string, fn: (view: TsFileView) => T, text?: string, options?: { importers?: boolean }): Promise<T>;
  /** Releases the language service; later calls start a new one. */
  dispose?(): void;
  /**
   * Builds the program (every root parsed and bound) and the formatter's rules ahead of the first query, for a caller
   * with idle time (a test run under way); the queries that follow on unchanged files reuse it. The lib files (most of
   * the text) are parsed one per turn of the event loop, so the caller's I/O is heard meanwhile; the rest is built in
   * one go; then, until `idle` aborts (the run ended: that time is the caller's again), the packages the test files
   * import (what a check that adds a test file parses) are parsed ahead, a file per turn too.
   */
  warm?(idle?: AbortSignal): Promise<void>;
}

/** The compiler's view of one project file, for patterns that need the AST or types (only valid inside `inspect`). */
export interface TsFileView {
  ts: typeof ts;
  program: ts.Program;
  checker: ts.TypeChecker;
  sourceFile: ts.SourceFile;
  /** Project-relative path with forward slashes. */
  file: string;
  /** The file's syntactic then semantic diagnostics, as TsProject.diagnostics gives them. */
  diagnostics(): TsDiagnostic[];
  /** The file's declaration output (its .d.ts text, emitted whatever the config's emit options), or null when none. */
  declarations(): string | null;
}
