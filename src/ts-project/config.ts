// loadProjectConfig: compiler options and root files from the project's tsconfig.json, or modern defaults without one.
import { existsSync, readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type ts from "typescript";
import type { TypeScriptApi } from "./load.js";

/** What the language service is built from. */
export interface ProjectConfig {
  options: ts.CompilerOptions;
  /** Absolute root file names. */
  fileNames: string[];
  /** The tsconfig.json used, null when the defaults apply. */
  configFile: string | null;
  /** Why the project's tsconfig.json was not used, when it exists but could not be read. */
  configError?: string;
}

// Folders that hold generated or installed code, never the project's own sources.
const DEFAULT_EXCLUDE = ["node_modules", "**/node_modules", "dist", "build", "coverage", "out", ".git", "**/.*"];

/** Type packages visible from the project (node_modules/@types of the root and its ancestors), as TS would find them. */
export function visibleTypePackages(projectRoot: string): string[] {
  const names = new Set<string>();
  for (let dir = resolve(projectRoot); ; dir = dirname(dir)) {
    const types = join(dir, "node_modules", "@types");
    if (existsSync(types)) {
      for (const entry of readdirSync(types, { withFileTypes: true })) {
        if ((entry.isDirectory() || entry.isSymbolicLink()) && !entry.name.startsWith(".")) names.add(entry.name);
      }
    }
    if (dirname(dir) === dir) break;
  }
  return [...names].sort();
}

/** The defaults for a project without tsconfig.json: a modern ESM project with JS allowed but not type-checked. */
export function defaultCompilerOptionsJson(projectRoot: string): Record<string, unknown> {
  return {
    target: "ES2022",
    module: "ESNext",
    moduleResolution: "Bundler",
    allowJs: true,
    checkJs: false,
    strict: true,
    skipLibCheck: true,
    noEmit: true,
    esModuleInterop: true,
    resolveJsonModule: true,
    jsx: "preserve",
    types: visibleTypePackages(projectRoot),
  };
}

const message = (tsApi: TypeScriptApi, d: ts.Diagnostic): string => tsApi.flattenDiagnosticMessageText(d.messageText, "\n");

/**
 * Reads the project's own tsconfig.json (the one at the project root). A solution-style config (`files: []` + references) uses the first
 * referenced config's options and the union of the referenced configs' files.
 */
export function loadProjectConfig(tsApi: TypeScriptApi, projectRoot: string): ProjectConfig {
  const root = resolve(projectRoot);
  const defaults = (configError?: string): ProjectConfig => {
    const parsed = tsApi.parseJsonConfigFileContent(
      { compilerOptions: defaultCompilerOptionsJson(root), include: ["**/*"], exclude: DEFAULT_EXCLUDE },
      tsApi.sys,
      root,
    );
    return { options: parsed.options, fileNames: parsed.fileNames, configFile: null, configError };
  };
  // findConfigFile searches upward; a tsconfig.json above the project root belongs to an enclosing repository.
  const configPath = tsApi.findConfigFile(root, tsApi.sys.fileExists, "tsconfig.json");
  if (!configPath || resolve(dirname(configPath)) !== root) return defaults();
  const parse = (path: string): ts.ParsedCommandLine | string => {
    const read = tsApi.readConfigFile(path, tsApi.sys.readFile);
    if (read.error) return message(tsApi, read.error);
    return tsApi.parseJsonConfigFileContent(read.config, tsApi.sys, dirname(path), undefined, path);
  };
  const parsed = parse(configPath);
  if (typeof parsed === "string") return defaults(parsed);
  let { options, fileNames } = parsed;
  if (fileNames.length === 0 && parsed.projectReferences?.length) {
    const referenced = parsed.projectReferences
      .map((r) => parse(tsApi.resolveProjectReferencePath(r)))
      .filter((p): p is ts.ParsedCommandLine => typeof p !== "string");
    if (referenced[0]) options = referenced[0].options;
    fileNames = [...new Set(referenced.flatMap((p) => p.fileNames))];
  }
  // The service only reads; emit settings (composite, declaration outputs) would add irrelevant diagnostics.
  return {
    options: { ...options, noEmit: true, composite: false, declaration: false, emitDeclarationOnly: false },
    fileNames,
    configFile: configPath,
  };
}
