// checkTsImports: every module specifier a TS/JS fix adds must resolve to a project file, an installed package or a Node builtin.
import { existsSync, statSync } from "node:fs";
import { isBuiltin } from "node:module";
import { dirname, join, resolve } from "node:path";
import type * as ts from "typescript";
import type { TypeScriptApi } from "../../ts-project/load.js";
import { declaredPackages, packageNameOf } from "../../ts-project/packages.js";
import type { TsProject } from "../../ts-project/types.js";
import type { ImportCheckResult } from "../../validation/check-imports.js";
import type { FixContext } from "../../validation/context.js";
import { tsImportsOf, tsParsedOf } from "./facts.js";
import type { TsImport } from "./facts.js";

const isRelative = (specifier: string): boolean => /^\.\.?(?:\/|$)/.test(specifier) || specifier.startsWith("/");

/**
 * Compiler options for resolving the project's imports: the TsProject's when there is one (read once, references and
 * defaults included), else its tsconfig.json's (files not enumerated) or bundler-style defaults.
 */
export async function resolutionOptions(ts: TypeScriptApi, projectRoot: string, project?: TsProject): Promise<ts.CompilerOptions> {
  let options: ts.CompilerOptions | undefined = await project?.compilerOptions?.();
  if (!options) {
    const configPath = join(projectRoot, "tsconfig.json");
    options = { module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler };
    if (existsSync(configPath)) {
      const read = ts.readConfigFile(configPath, (p) => ts.sys.readFile(p));
      if (!read.error) {
        const host: ts.ParseConfigHost = { ...ts.sys, readDirectory: () => [] };
        options = ts.parseJsonConfigFileContent(read.config, host, projectRoot, undefined, configPath).options;
      }
    }
  }
  // Only whether a file exists matters here: JS and JSON targets count, whatever the type-check settings say.
  return { ...options, allowJs: true, resolveJsonModule: true, allowImportingTsExtensions: true, noEmit: true };
}

/** Whether node_modules/<name> exists in `fromDir` or any folder above it (Node's lookup). */
export function packageInstalled(fromDir: string, name: string): boolean {
  for (let dir = resolve(fromDir); ; dir = dirname(dir)) {
    if (existsSync(join(dir, "node_modules", name))) return true;
    if (dirname(dir) === dir) return false;
  }
}

const isFile = (path: string): boolean => {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
};

const render = (i: TsImport): string =>
  i.kind === "require"
    ? `require("${i.specifier}")`
    : i.kind === "dynamic"
      ? `import("${i.specifier}")`
      : `${i.kind === "export" ? "export … from" : "import"} "${i.specifier}"`;

type Resolution = { found: true; local: boolean } | { found: false; why: string };

/**
 * Rejects specifiers the fix adds that do not resolve: relative ones by TS's module resolution (or an existing
 * file, for assets), bare ones to an installed package or a node: builtin. Imports guarded by try only warn.
 * Installed packages the project's package.json does not declare are new dependencies.
 */
export async function checkTsImports(ctx: FixContext): Promise<ImportCheckResult> {
  const result: ImportCheckResult = { reasons: [], warnings: [], newDependencies: [] };
  const parsed = await tsParsedOf(ctx, "fixed");
  if (parsed.syntactic.some((d) => d.category === "error")) return result; // checkSyntax reports it
  const [fixed, original] = await Promise.all([tsImportsOf(ctx, "fixed"), tsImportsOf(ctx, "original")]);
  const known = new Set(original.map((i) => i.specifier));
  const knownPackages = new Set(original.filter((i) => !isRelative(i.specifier)).map((i) => packageNameOf(i.specifier)));
  const fresh = fixed.filter((i) => {
    if (known.has(i.specifier)) return false;
    known.add(i.specifier);
    return true;
  });
  if (fresh.length === 0) return result;
  const ts = parsed.ts;
  const containing = resolve(ctx.projectRoot, ctx.relPath);
  const fileDir = dirname(containing);
  const options = await resolutionOptions(ts, ctx.projectRoot, ctx.typescript);
  const resolveOne = (spec: string): Resolution => {
    if (isBuiltin(spec)) return { found: true, local: false };
    const resolved = ts.resolveModuleName(spec, containing, options, ts.sys).resolvedModule;
    if (resolved) return { found: true, local: !resolved.isExternalLibraryImport };
    if (isRelative(spec)) {
      // Assets (CSS, images, data) are not TS modules; a relative import of an existing file resolves.
      if (isFile(resolve(fileDir, spec))) return { found: true, local: true };
      return { found: false, why: "does not resolve to a file of the project" };
    }
    if (spec.startsWith("node:")) return { found: false, why: "is not a Node builtin module" };
    const pkg = packageNameOf(spec);
    if (packageInstalled(fileDir, pkg)) return { found: true, local: false };
    return {
      found: false,
      why: `names package ${pkg}, which is not installed (no node_modules/${pkg} up the tree) and not a Node builtin`,
    };
  };
  const declared = declaredPackages(ctx.projectRoot, fileDir);
  const deps = new Set<string>();
  for (const i of fresh) {
    const r = resolveOne(i.specifier);
    const label = `\`${render(i)}\` (line ${i.line})`;
    if (!r.found) {
      const message = `imports: ${label} ${r.why}`;
      if (i.guarded) result.warnings.push(`${message} (guarded by a try block)`);
      else result.reasons.push(message);
      continue;
    }
    if (r.local || isRelative(i.specifier) || isBuiltin(i.specifier)) continue;
    const pkg = packageNameOf(i.specifier);
    const typesPackage = `@types/${pkg.replace(/^@(.*)\//, "$1__")}`;
    if (!declared.has(pkg) && !(i.typeOnly && declared.has(typesPackage)) && !knownPackages.has(pkg)) deps.add(pkg);
  }
  result.newDependencies = [...deps].sort();
  for (const dep of result.newDependencies)
    result.warnings.push(`imports: adds a dependency on package ${dep}, which package.json does not declare`);
  return result;
}
