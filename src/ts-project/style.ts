// The code style a file already uses (newline, indentation, semicolons, quotes, import specifier endings), for code fixes to follow.
import type ts from "typescript";
import type { TypeScriptApi } from "./load.js";

/** How relative imports end: "js" (`./x.js`), "minimal" (`./x`), or unknown. */
export type SpecifierEnding = "js" | "minimal" | null;

// An import's, dynamic import's or require's module specifier: its quote, then the specifier.
const SPECIFIER_RE = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)(["'])([^"'\n]+)\1/g;

/** Counts of relative import specifiers with a JS extension and without any extension in one text. */
export function specifierEndings(text: string): { js: number; minimal: number } {
  let js = 0;
  let minimal = 0;
  for (const m of text.matchAll(SPECIFIER_RE)) {
    const spec = m[2]!;
    if (!/^\.{1,2}\//.test(spec)) continue;
    const last = spec.split("/").pop() ?? "";
    if (/\.(?:[mc]?js|jsx)$/.test(last)) js++;
    else if (!last.includes(".") || last === "." || last === "..") minimal++;
  }
  return { js, minimal };
}

/** The ending most relative imports in these texts use (null when there are none or it is a tie). */
export function dominantEnding(texts: Iterable<string>): SpecifierEnding {
  let js = 0;
  let minimal = 0;
  for (const t of texts) {
    const c = specifierEndings(t);
    js += c.js;
    minimal += c.minimal;
  }
  return js > minimal ? "js" : minimal > js ? "minimal" : null;
}

/**
 * How many indented lines of a text start with a tab and with a space, and the smallest run of leading spaces
 * (Infinity: none). A block comment's ` * ` continuation lines are aligned to its `/**`, not indented: they do not count.
 */
function indentCounts(text: string): { tabs: number; spaces: number; smallest: number } {
  let tabs = 0;
  let spaces = 0;
  let smallest = Infinity;
  for (const line of text.split("\n")) {
    const m = /^([ \t]+)(\S)/.exec(line);
    if (!m || m[2] === "*") continue;
    if (m[1]!.startsWith("\t")) tabs++;
    else {
      spaces++;
      smallest = Math.min(smallest, m[1]!.length);
    }
  }
  return { tabs, spaces, smallest };
}

/** The character most of a text's indented lines start with; null on a tie (a text without indented lines included). */
export function indentCharacter(text: string): "tabs" | "spaces" | null {
  const { tabs, spaces } = indentCounts(text);
  return tabs === spaces ? null : tabs > spaces ? "tabs" : "spaces";
}

/** The file's indentation: a tab, or the smallest run of leading spaces (2 when the file has no indented line). */
function indentation(text: string): { tabs: boolean; size: number } {
  const { tabs, spaces, smallest } = indentCounts(text);
  if (tabs > spaces) return { tabs: true, size: 4 };
  return { tabs: false, size: Number.isFinite(smallest) && smallest <= 8 ? smallest : 2 };
}

/** Whether the file ends its statements with semicolons (counted over lines that could end a statement). */
function semicolons(tsApi: TypeScriptApi, text: string): ts.SemicolonPreference {
  let withSemi = 0;
  let without = 0;
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith("//") || line.startsWith("*") || line.startsWith("/*")) continue;
    if (line.endsWith(";")) withSemi++;
    else if (/[\w)\]"'`]$/.test(line) && !/^(?:if|for|while|else|do|try|switch)\b/.test(line)) without++;
  }
  if (withSemi === 0 && without === 0) return tsApi.SemicolonPreference.Ignore;
  return withSemi >= without ? tsApi.SemicolonPreference.Insert : tsApi.SemicolonPreference.Remove;
}

/** Format settings matching the file: its newline, indentation and semicolon use. */
export function formatSettingsFor(tsApi: TypeScriptApi, text: string): ts.FormatCodeSettings {
  const newLine = text.includes("\r\n") ? "\r\n" : "\n";
  const indent = indentation(text);
  return {
    ...tsApi.getDefaultFormatCodeSettings(newLine),
    convertTabsToSpaces: !indent.tabs,
    indentSize: indent.size,
    tabSize: indent.tabs ? 4 : indent.size,
    semicolons: semicolons(tsApi, text),
  };
}

/** A text's quote for strings: "single", "double", or unknown. */
export type QuoteStyle = "single" | "double" | null;

/** The quote most of a text's module specifiers use (null when it has none, or as many of each): what its imports look like. */
export function specifierQuote(text: string): QuoteStyle {
  let single = 0;
  let double = 0;
  for (const m of text.matchAll(SPECIFIER_RE)) {
    if (m[1] === "'") single++;
    else double++;
  }
  return single === double ? null : single > double ? "single" : "double";
}

/** The quote most string literals of these texts use (null when they have none, or as many of each). */
export function quoteStyle(tsApi: TypeScriptApi, texts: Iterable<string>): QuoteStyle {
  let single = 0;
  let double = 0;
  for (const text of texts) {
    const scanner = tsApi.createScanner(tsApi.ScriptTarget.Latest, true, tsApi.LanguageVariant.Standard, text);
    for (let token = scanner.scan(); token !== tsApi.SyntaxKind.EndOfFileToken; token = scanner.scan()) {
      if (token !== tsApi.SyntaxKind.StringLiteral) continue;
      if (scanner.getTokenText().startsWith("'")) single++;
      else double++;
    }
  }
  return single === double ? null : single > double ? "single" : "double";
}

/**
 * Preferences for code fixes: quotes and import endings as the file (else the project) writes them. Without a known
 * quote TS copies the file's first import, and writes double quotes in a file without one (a deleted only import).
 */
export function fixPreferences(ending: SpecifierEnding, quote: QuoteStyle): ts.UserPreferences {
  return {
    quotePreference: quote ?? "auto",
    importModuleSpecifierEnding: ending ?? "auto",
    includePackageJsonAutoImports: "auto",
    includeCompletionsForModuleExports: true,
    allowTextChangesInNewFiles: false,
  };
}

/**
 * Makes the formatter's rules, which the first code fix would make (once per process, ~0.1 s: every code fix formats
 * its edit), by formatting an empty range of one of `roots`.
 */
export function warmFormatter(tsApi: TypeScriptApi, service: ts.LanguageService, roots: Iterable<string>): void {
  const root = roots[Symbol.iterator]().next();
  if (!root.done) service.getFormattingEditsForRange(root.value, 0, 0, tsApi.getDefaultFormatCodeSettings());
}
