// The imports a Python fix adds must resolve in the project's interpreter or inside the project; guarded optional imports only warn.
import { resolveImports } from "../../python/core-ops.js";
import type { ImportStatement } from "../../python/core-ops.js";
import type { ImportCheckResult } from "../../validation/check-imports.js";
import type { FixContext } from "../../validation/context.js";
import { importsOf, pythonHelper } from "./facts.js";

type Key = string;

/** One key per imported thing: `import a.b` → a.b; `from a import x` → a:x; relative imports keep their dots. */
const keysOf = (stmt: ImportStatement): Key[] => {
  const module = ".".repeat(stmt.level) + (stmt.module ?? "");
  return stmt.kind === "import" ? [module] : stmt.names.map(([name]) => `${module}:${name}`);
};

const render = (stmt: ImportStatement, names: string[]): string => {
  const module = ".".repeat(stmt.level) + (stmt.module ?? "");
  return stmt.kind === "import" ? `import ${module}` : `from ${module} import ${names.join(", ")}`;
};

const topLevel = (stmt: ImportStatement): string | null => (stmt.level > 0 || !stmt.module ? null : stmt.module.split(".")[0]!);

export async function checkPythonImports(ctx: FixContext): Promise<ImportCheckResult> {
  const result: ImportCheckResult = { reasons: [], warnings: [], newDependencies: [] };
  const [fixed, original] = await Promise.all([importsOf(ctx, "fixed"), importsOf(ctx, "original")]);
  if (!fixed.ok) return result; // checkSyntax reports it
  // An original that does not parse gives no baseline: every import of the fixed file is new.
  const known = new Set(original.ok ? original.imports.flatMap(keysOf) : []);
  const knownTops = new Set(original.ok ? original.imports.map(topLevel).filter((t): t is string => t !== null) : []);
  const fresh: Array<{ stmt: ImportStatement; names: string[] }> = [];
  for (const stmt of fixed.imports) {
    const keys = keysOf(stmt).filter((k) => !known.has(k));
    if (keys.length === 0) continue;
    fresh.push({ stmt, names: stmt.kind === "import" ? [] : keys.map((k) => k.slice(k.lastIndexOf(":") + 1)) });
    for (const k of keys) known.add(k);
  }
  if (fresh.length === 0) return result;
  const resolved = await resolveImports(
    pythonHelper(ctx),
    fresh.map(({ stmt, names }) => ({ module: stmt.module, level: stmt.level, names: names.map((n): [string, null] => [n, null]) })),
    ctx.relPath,
  );
  const deps = new Set<string>();
  fresh.forEach(({ stmt, names }, i) => {
    const r = resolved[i]!;
    const label = `\`${render(stmt, names)}\` (line ${stmt.line})`;
    const report = (message: string): void => {
      if (stmt.guarded) result.warnings.push(`imports: ${message} (guarded by an ImportError handler)`);
      else result.reasons.push(`imports: ${message}`);
    };
    if (!r.found) {
      report(`${label} does not resolve in the project's interpreter or inside the project`);
      return;
    }
    if (r.missingNames.length > 0) report(`${label}: ${r.module} has no ${r.missingNames.map((n) => `'${n}'`).join(", ")}`);
    const top = topLevel(stmt);
    if ((r.location === "site-packages" || r.location === "other") && top !== null && !knownTops.has(top)) deps.add(top);
  });
  result.newDependencies = [...deps].sort();
  for (const dep of result.newDependencies) result.warnings.push(`imports: adds a dependency on third-party package ${dep}`);
  return result;
}
