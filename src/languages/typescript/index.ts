// TypeScript's LanguageSupport (JavaScript too): every check answered by the TypeScript compiler API, with the project's
// language service for types and module resolution when the workflow has one.
import { isScriptPath } from "../../analysis/language.js";
import { isJsTestOrSetupPath } from "../../runners/js/test-files.js";
import { loadTypeScript } from "../../ts-project/load.js";
import { NOT_SECRET_NAMES, SECRET_ENV_NAME } from "../../validation/env-secrets.js";
import { diffOf } from "../../validation/facts.js";
import { scriptKindOf, tsImportLines, tsParsedOf, type TsParsed } from "./facts.js";
import { checkTsImports } from "./imports.js";
import { outlineTs } from "./outline.js";
import { testFacts, tsLiteralFindings, tsNameFindings } from "./overfit.js";
import { tsPolicyFindings } from "./policy.js";
import { checkTsSyntax } from "./syntax.js";
import { compareTsTests } from "./test-integrity.js";
import type { LanguageSupport } from "../types.js";
import { checkTsIndentation } from "./indentation.js";
import { analyzeJsTestConfigChange, isJsTestConfigPath } from "./test-config.js";

const parses = (p: TsParsed): boolean => !p.syntactic.some((d) => d.category === "error");

export const typescriptLanguage: LanguageSupport = {
  id: "typescript",
  checkSyntax: checkTsSyntax,
  checkImports: checkTsImports,
  checkIndentation: checkTsIndentation,
  async compareTests(ctx) {
    const [original, fixed, diff] = await Promise.all([tsParsedOf(ctx, "original"), tsParsedOf(ctx, "fixed"), diffOf(ctx)]);
    const c = compareTsTests(original.ts, ctx.original, ctx.fixed, ctx.relPath, { original, fixed, diff });
    return { parsed: c.parsed, parseNote: c.parsed ? null : "it does not parse", importOnly: c.importOnly, weakenings: c.weakenings };
  },
  isTestPath: isJsTestOrSetupPath,
  isTestConfigPath: isJsTestConfigPath,
  // A config script is parsed once for every check; package.json and other JSON are not parsed as scripts.
  async compareTestConfig(ctx) {
    if (!isScriptPath(ctx.relPath)) return analyzeJsTestConfigChange(await loadTypeScript(), ctx.relPath, ctx.original, ctx.fixed);
    const [original, fixed] = await Promise.all([tsParsedOf(ctx, "original"), tsParsedOf(ctx, "fixed")]);
    return analyzeJsTestConfigChange(original.ts, ctx.relPath, ctx.original, ctx.fixed, { original, fixed });
  },
  async policyFindings(ctx, side, isTest) {
    const parsed = await tsParsedOf(ctx, side);
    if (!parses(parsed)) return null;
    return tsPolicyFindings(parsed.ts, parsed.sourceFile, isTest, { pattern: SECRET_ENV_NAME, notSecret: NOT_SECRET_NAMES });
  },
  async overfitFindings(ctx, tests) {
    const [original, fixed] = await Promise.all([tsParsedOf(ctx, "original"), tsParsedOf(ctx, "fixed")]);
    if (!parses(original) || !parses(fixed)) return null;
    const ts = fixed.ts;
    const parse = (file: string, source: string) =>
      ts.createSourceFile(`/${file}`, source, ts.ScriptTarget.Latest, true, scriptKindOf(ts, file));
    const facts = testFacts(ts, parse, tests);
    return {
      original: tsNameFindings(ts, original.sourceFile, facts.titles),
      fixed: [
        ...tsNameFindings(ts, fixed.sourceFile, facts.titles),
        ...tsLiteralFindings(ts, original.sourceFile, fixed.sourceFile, facts.keys),
      ],
    };
  },
  async shape(ctx, side) {
    const [parsed, importLines] = await Promise.all([tsParsedOf(ctx, side), tsImportLines(ctx, side)]);
    return { outline: parses(parsed) ? outlineTs(parsed.ts, parsed.sourceFile) : null, importLines };
  },
};
