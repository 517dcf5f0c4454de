// Python's LanguageSupport: every check answered by the project's own interpreter through the long-lived helper (redgreen_ops).
import { splitNodeId } from "../../domain/node-id.js";
import { compareTests } from "../../python/integrity-ops.js";
import { overfitFindings, policyFindings } from "../../python/policy-ops.js";
import { NOT_SECRET_NAMES, SECRET_ENV_NAME } from "../../validation/env-secrets.js";
import type { LanguageSupport } from "../types.js";
import { importsOf, outlineOf, pythonHelper } from "./facts.js";
import { checkPythonImports } from "./imports.js";
import { checkPythonIndentation } from "./indentation.js";
import { checkPythonSyntax } from "./syntax.js";
import { analyzeTestConfigChange, isPytestConfigPath } from "./test-config.js";
import { isPytestMachineryPath, isPytestTestPath } from "../../analysis/language.js";

/** The lines every import statement of a listing spans. */
const importLines = (listing: Awaited<ReturnType<typeof importsOf>>): Set<number> => {
  const lines = new Set<number>();
  if (listing.ok) for (const i of listing.imports) for (let l = i.line; l <= i.endLine; l++) lines.add(l);
  return lines;
};

export const pythonLanguage: LanguageSupport = {
  id: "python",
  checkSyntax: checkPythonSyntax,
  checkImports: checkPythonImports,
  checkIndentation: checkPythonIndentation,
  async compareTests(ctx) {
    const c = await compareTests(pythonHelper(ctx), ctx.original, ctx.fixed, ctx.relPath);
    return {
      parsed: c.parsed,
      parseNote: c.parsed ? null : (c.parseError ?? "parse error"),
      importOnly: c.importOnly,
      weakenings: c.weakenings,
    };
  },
  // The test process's own machinery counts as test code: a fix that shadows pytest or redgreen's plugin fakes results.
  isTestPath: (relPath) => isPytestTestPath(relPath) || isPytestMachineryPath(relPath),
  isTestConfigPath: isPytestConfigPath,
  compareTestConfig: async (ctx) => analyzeTestConfigChange(ctx.relPath, ctx.original, ctx.fixed),
  async policyFindings(ctx, side, isTest) {
    const secrets = { pattern: SECRET_ENV_NAME.source, notSecret: [...NOT_SECRET_NAMES] };
    const r = await policyFindings(pythonHelper(ctx), ctx[side], ctx.relPath, isTest, secrets);
    return r.parsed ? r.findings : null;
  },
  async overfitFindings(ctx, tests) {
    const named = tests.map((t) => ({ name: splitNodeId(t.nodeId).testName, file: t.file, source: t.source }));
    const r = await overfitFindings(pythonHelper(ctx), ctx.original, ctx.fixed, ctx.relPath, named);
    return r.parsed ? { original: r.original, fixed: r.fixed } : null;
  },
  async shape(ctx, side) {
    const [outline, imports] = await Promise.all([outlineOf(ctx, side), importsOf(ctx, side)]);
    return { outline: outline.ok ? outline : null, importLines: importLines(imports) };
  },
};
