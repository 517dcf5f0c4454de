// FixPattern: the contract every deterministic CommonFixPatterns plugin implements.
import type { SourceLanguage } from "../../analysis/language.js";
import type { Analysis, FixStrategy } from "../../domain/analysis.js";
import type { Failure } from "../../domain/failure.js";
import type { FixProposal } from "../../domain/fix.js";
import type { LanguageServices } from "../../languages/services.js";

/** Catalogs the missing-import pattern reads (defaults: data/stdlib-names.json and data/import-aliases.json). */
export interface ImportCatalogsInput {
  /** Dotted stdlib module → its public names. */
  stdlibModules: Record<string, string[]>;
  /** Conventional alias → module (np → numpy). */
  aliases: Record<string, string>;
}

/** What a pattern may look at and use while proposing a fix for one failure. */
export interface PatternContext extends LanguageServices {
  failure: Failure;
  analysis: Analysis;
  /** Absolute project root. */
  projectRoot: string;
  /** Reads a project-relative file as UTF-8 text. */
  readFile(rel: string): Promise<string>;
  /** Whether test files may be edited beyond adding an import (assertion fixes need this). */
  allowTestEdits: boolean;
  /** Whether a project-relative path is a test file (the runner adapter decides). */
  isTestFile(rel: string): boolean;
  /** Overrides the shipped import catalogs (tests, other interpreters). */
  importCatalogs?: ImportCatalogsInput;
}

/** The language a failure's code is in, which decides the patterns that may handle it. */
export type PatternLanguage = SourceLanguage;

/** A CommonFixPatterns plugin: a cheap check whether it applies, and a minimal edit (or null when unsure). */
export interface FixPattern {
  id: string;
  strategy: FixStrategy;
  /** The languages whose failures this pattern handles (TypeScript covers JavaScript too). */
  languages: readonly PatternLanguage[];
  /** Cheap, synchronous: could this pattern handle the failure? (propose still may decline.) */
  matches(failure: Failure, analysis: Analysis): boolean;
  /** A minimal edit, or null when the pattern is not sure. */
  propose(ctx: PatternContext): Promise<FixProposal | null>;
}
