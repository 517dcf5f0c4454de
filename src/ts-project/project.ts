// createTsProject: one project's TypeScript language service (tsconfig or modern defaults) with per-call text overrides.
import { readFileSync, statSync } from "node:fs";
import { basename, dirname, isAbsolute, relative, resolve, sep } from "node:path";
import type ts from "typescript";
import { isJavaScriptPath } from "../analysis/language.js";
import { RedgreenError } from "../domain/errors.js";
import { loadProjectConfig, type ProjectConfig } from "./config.js";
import { declarationText } from "./declarations.js";
import { toTsDiagnostic } from "./diagnostics.js";
import { contentHash, createFileContents } from "./file-contents.js";
import { acquireLibFiles, acquirePackageImports } from "./lib-files.js";
import { loadTypeScript, type TypeScriptApi } from "./load.js";
import {
  dominantEnding,
  fixPreferences,
  formatSettingsFor,
  quoteStyle,
  specifierEndings,
  specifierQuote,
  warmFormatter,
  type QuoteStyle,
  type SpecifierEnding,
} from "./style.js";
import type { TsCodeFix, TsDiagnostic, TsFileView, TsProject, TsTextChange } from "./types.js";

/** Options of createTsProject. */
export interface TsProjectOptions {
  /** The project root (absolute, or relative to the working directory). */
  projectRoot: string;
  /** The typescript module to use; default: redgreen's own, imported on first use. */
  typescript?: TypeScriptApi;
  /**
   * The runner's test files (project-relative): these stay out of the program until a call names one or asks for the
   * importers of a file (a one-file check then loads the file, what it imports and its importers, not every test).
   * Default: none is a test file, every configured file is a root.
   */
  isTestFile?: (rel: string) => boolean;
}

// How many other project files are read to learn the project's import-specifier ending and quotes.
const STYLE_SAMPLE = 60;

/** The options with allowJs on when a root is a JS file (which is not part of the program at all otherwise). */
const allowingJs = (options: ts.CompilerOptions, roots: Iterable<string>): ts.CompilerOptions =>
  !options.allowJs && [...roots].some(isJavaScriptPath) ? { ...options, allowJs: true } : options;

/** The live state behind a TsProject, created on first use. */
interface ServiceState {
  ts: TypeScriptApi;
  config: ProjectConfig;
  options: ts.CompilerOptions;
  /** Root files: the config's but its test files, plus files queried (tests, files outside `include`, JS files). */
  roots: Set<string>;
  /** The config's test files that are not roots: searched for importers when a call asks for them. */
  leftOut: string[];
  service: ts.LanguageService;
  /** The service's host and document registry (warm() parses lib files and test files' packages into it ahead). */
  host: ts.LanguageServiceHost;
  registry: ts.DocumentRegistry;
  moduleCache: ts.ModuleResolutionCache;
  /** The project's import-specifier ending and quote, from a sample of its files, read on first need. */
  projectStyle: { ending: SpecifierEnding; quote: QuoteStyle } | undefined;
}

/** Creates a TsProject; nothing is loaded until the first call (typescript itself is imported then). */
export function createTsProject(options: TsProjectOptions): TsProject {
  const projectRoot = resolve(options.projectRoot);
  const overrides = new Map<string, { text: string; version: string }>();
  const fixedVersions = new Map<string, string>();
  const snapshots = new Map<string, { version: string; snapshot: ts.IScriptSnapshot }>();
  const contents = createFileContents();
  // Part of every version: refresh() bumps it, so the service re-reads every file instead of reusing its source files.
  let generation = 0;
  let state: ServiceState | null = null;
  let starting: Promise<ServiceState> | null = null;

  const relOf = (abs: string): string | null => {
    const rel = relative(projectRoot, abs);
    if (rel === "" || rel.startsWith("..") || isAbsolute(rel)) return null;
    return rel.split(sep).join("/");
  };
  const isProjectSource = (abs: string): boolean => {
    const rel = relOf(abs);
    return rel !== null && !rel.split("/").includes("node_modules");
  };
  const absOf = (rel: string): string => {
    const abs = resolve(projectRoot, rel);
    if (relOf(abs) === null) throw new RedgreenError("usage", `${rel} is not inside the project ${projectRoot}`);
    return abs;
  };

  // Project files may change on disk between calls, even within one timestamp tick and at the same size (a rollback
  // then a same-size fix), so their version is a hash of their content, and so is an override's (the same text twice
  // is not checked twice); files outside the project (TS's lib, node_modules) are taken as fixed until refresh().
  const version = (abs: string): string => {
    const o = overrides.get(abs);
    if (o) return `${generation}:${o.version}`;
    // Checked first: the lib and node_modules files far outnumber the project's, and this is called for each on every query.
    const known = fixedVersions.get(abs);
    if (known !== undefined) return known;
    if (isProjectSource(abs)) return `${generation}:${contents.get(abs)?.hash ?? "missing"}`;
    let v: string;
    try {
      const st = statSync(abs);
      v = `${generation}:${st.mtimeMs}:${st.size}`;
    } catch {
      v = `${generation}:missing`;
    }
    fixedVersions.set(abs, v);
    return v;
  };
  const readText = (abs: string): string | undefined => {
    const o = overrides.get(abs);
    if (o) return o.text;
    if (isProjectSource(abs)) return contents.get(abs)?.text;
    try {
      return readFileSync(abs, "utf8").replace(/^\uFEFF/, "");
    } catch {
      return undefined;
    }
  };

  /**
   * What the service is built from: the config and the roots (plus `queried` files that still exist), read at the start and on refresh().
   */
  const loadState = (tsApi: TypeScriptApi, queried: Iterable<string>): Omit<ServiceState, "ts" | "service" | "host" | "registry"> => {
    const config = loadProjectConfig(tsApi, projectRoot);
    const configured = config.fileNames.map((f) => resolve(f));
    const isTest = (abs: string): boolean => options.isTestFile !== undefined && options.isTestFile(relOf(abs) ?? abs);
    const roots = new Set(configured.filter((f) => !isTest(f)));
    for (const f of queried) if (readText(f) !== undefined) roots.add(f);
    const leftOut = configured.filter((f) => !roots.has(f));
    const compilerOptions = allowingJs(config.options, roots);
    const moduleCache = tsApi.createModuleResolutionCache(projectRoot, (f) => f, compilerOptions);
    return { config, options: compilerOptions, roots, leftOut, moduleCache, projectStyle: undefined };
  };

  const start = async (): Promise<ServiceState> => {
    const tsApi = options.typescript ?? (await loadTypeScript());
    const st = { ts: tsApi, ...loadState(tsApi, []) } as ServiceState;
    const host: ts.LanguageServiceHost = {
      getCompilationSettings: () => st.options,
      getScriptFileNames: () => [...st.roots],
      getScriptVersion: version,
      getScriptSnapshot: (fileName) => {
        const abs = resolve(fileName);
        const v = version(abs);
        const cached = snapshots.get(abs);
        if (cached && cached.version === v) return cached.snapshot;
        const text = readText(abs);
        if (text === undefined) return undefined;
        const snapshot = tsApi.ScriptSnapshot.fromString(text);
        // The text read may be newer than `v` (a write in between); then the next version() differs and it is read again.
        snapshots.set(abs, { version: v, snapshot });
        return snapshot;
      },
      getCurrentDirectory: () => projectRoot,
      getDefaultLibFileName: (o) => tsApi.getDefaultLibFilePath(o),
      fileExists: (f) => overrides.has(resolve(f)) || tsApi.sys.fileExists(f),
      readFile: (f, encoding) => overrides.get(resolve(f))?.text ?? tsApi.sys.readFile(f, encoding),
      readDirectory: (...args) => tsApi.sys.readDirectory(...args),
      directoryExists: (d) => tsApi.sys.directoryExists(d),
      getDirectories: (d) => tsApi.sys.getDirectories(d),
      realpath: (p) => (tsApi.sys.realpath ? tsApi.sys.realpath(p) : p),
      useCaseSensitiveFileNames: () => tsApi.sys.useCaseSensitiveFileNames,
      // As tsc parses: JSDoc only where it can change a type error (JS files; @see/@link in TS files). The declarations'
      // doc comments (lib.dom's, @types/node's) are most of their text and no check reads them.
      jsDocParsingMode: tsApi.JSDocParsingMode.ParseForTypeErrors,
    };
    const registry = tsApi.createDocumentRegistry(tsApi.sys.useCaseSensitiveFileNames, projectRoot, host.jsDocParsingMode);
    return Object.assign(st, { host, registry, service: tsApi.createLanguageService(host, registry) });
  };

  const ensure = async (): Promise<ServiceState> => {
    if (state) return state;
    starting ??= start();
    try {
      state = await starting;
    } finally {
      starting = null;
    }
    return state;
  };

  /** Makes sure a queried file is part of the program (a JS file needs allowJs to be a root at all); true when added. */
  const addRoot = (st: ServiceState, abs: string, rel: string): boolean => {
    if (!overrides.has(abs) && readText(abs) === undefined) throw new RedgreenError("not_found", `${rel} does not exist in ${projectRoot}`);
    if (st.roots.has(abs)) return false;
    st.roots.add(abs);
    st.options = allowingJs(st.options, [abs]);
    return true;
  };

  /** The module resolution host of the service's own resolution, for import lists resolved outside the program. */
  const resolutionHost = (st: ServiceState): ts.ModuleResolutionHost => ({
    fileExists: (f) => st.ts.sys.fileExists(f),
    readFile: (f) => st.ts.sys.readFile(f),
    directoryExists: (d) => st.ts.sys.directoryExists(d),
    realpath: (p) => (st.ts.sys.realpath ? st.ts.sys.realpath(p) : p),
  });

  /** The project files `from` imports (its text scanned, each specifier resolved as the compiler would). */
  const resolvedImports = (st: ServiceState, from: string, text: string): string[] => {
    const host = resolutionHost(st);
    const format = st.ts.getImpliedNodeFormatForFile(from, st.moduleCache.getPackageJsonInfoCache(), host, st.options);
    return st.ts.preProcessFile(text, true, true).importedFiles.flatMap((ref) => {
      const resolved = st.ts.resolveModuleName(ref.fileName, from, st.options, host, st.moduleCache, undefined, format).resolvedModule;
      if (!resolved || resolved.isExternalLibraryImport) return [];
      const target = resolve(resolved.resolvedFileName);
      return isProjectSource(target) && target !== from ? [target] : [];
    });
  };

  /**
   * The left-out test files that import `abs`, from their text alone (nothing is parsed into the program): only a file
   * whose text names the module (its file name, or its folder's for an index file) has its imports resolved.
   */
  const leftOutImporters = (st: ServiceState, abs: string): string[] => {
    const base = basename(abs).replace(/\.[^.]*$/, "");
    const named = base === "index" ? basename(dirname(abs)) : base;
    return st.leftOut.filter((f) => {
      if (st.roots.has(f)) return false;
      const text = readText(f);
      return text !== undefined && text.includes(named) && resolvedImports(st, f, text).includes(abs);
    });
  };

  /**
   * Runs `fn` with `text` standing in for the file; the override never outlives the call. With `importers`, the test
   * files left out of the program that import the file are roots for this call only.
   */
  const withText = async <T>(
    rel: string,
    text: string | undefined,
    fn: (st: ServiceState, abs: string) => T,
    importers = false,
  ): Promise<T> => {
    let st = await ensure();
    // A dispose() between the start and this continuation (another caller releasing it) left `st` closed: start again.
    while (st !== state) st = await ensure();
    const abs = absOf(rel);
    // The same version as the file on disk when the text is the file's (the program is then reused as it is), except
    // for a leading BOM: a disk file's hash includes it, but its text is served without it.
    if (text !== undefined) overrides.set(abs, { text, version: `${contentHash(text)}${text.startsWith("\uFEFF") ? ":bom" : ""}` });
    let added = false;
    const visiting = importers ? leftOutImporters(st, abs) : [];
    try {
      added = addRoot(st, abs, rel);
      for (const f of visiting) st.roots.add(f);
      return fn(st, abs);
    } finally {
      for (const f of visiting) st.roots.delete(f);
      if (text !== undefined) {
        overrides.delete(abs);
        // A file that exists only as this call's text (a proposed new file) leaves the program with it.
        if (added && readText(abs) === undefined) st.roots.delete(abs);
      }
    }
  };

  const toDiagnostic = (st: ServiceState, d: ts.Diagnostic, kind: TsDiagnostic["kind"]): TsDiagnostic | null => {
    if (!d.file || d.start === undefined) return null;
    const file = relOf(resolve(d.file.fileName));
    return file === null ? null : toTsDiagnostic(st.ts, d, file, kind);
  };

  const collect = (st: ServiceState, abs: string): TsDiagnostic[] => {
    const syntactic = st.service.getSyntacticDiagnostics(abs).map((d) => toDiagnostic(st, d, "syntactic"));
    const semantic = st.service.getSemanticDiagnostics(abs).map((d) => toDiagnostic(st, d, "semantic"));
    return [...syntactic, ...semantic]
      .filter((d): d is TsDiagnostic => d !== null)
      .sort((a, b) => a.start - b.start || a.code - b.code || a.length - b.length);
  };

  /** How the project writes relative imports and strings: the file's own way first, then a sample of the project's files'. */
  const styleFor = (st: ServiceState, text: string): { ending: SpecifierEnding; quote: QuoteStyle } => {
    const projectStyle = (): { ending: SpecifierEnding; quote: QuoteStyle } => {
      if (st.projectStyle === undefined) {
        const files = [...st.roots, ...st.leftOut].filter(isProjectSource);
        const sample = [...new Set(files)].slice(0, STYLE_SAMPLE).map((f) => readText(f) ?? "");
        st.projectStyle = { ending: dominantEnding(sample), quote: quoteStyle(st.ts, sample) };
      }
      return st.projectStyle;
    };
    const own = specifierEndings(text);
    const ending = own.js !== own.minimal ? (own.js > own.minimal ? "js" : "minimal") : projectStyle().ending;
    // New imports look like the file's imports; a file without any (its only import deleted) by its other strings.
    return { ending, quote: specifierQuote(text) ?? quoteStyle(st.ts, [text]) ?? projectStyle().quote };
  };

  const toChanges = (st: ServiceState, action: ts.CodeFixAction): TsTextChange[] | null => {
    if (action.commands?.length) return null;
    const out: TsTextChange[] = [];
    for (const fc of action.changes) {
      const file = fc.isNewFile ? null : relOf(resolve(fc.fileName));
      if (file === null || !isProjectSource(resolve(fc.fileName))) return null;
      for (const tc of fc.textChanges) out.push({ file, start: tc.span.start, length: tc.span.length, newText: tc.newText });
    }
    return out.length > 0 ? out : null;
  };

  return {
    projectRoot,
    diagnostics: (rel, text) => withText(rel, text, (st, abs) => collect(st, abs)),

    codeFixes: (rel, opts = {}) =>
      withText(rel, opts.text, (st, abs) => {
        const from = opts.fromLine ?? 1;
        const to = opts.toLine ?? Number.MAX_SAFE_INTEGER;
        const text = readText(abs) ?? "";
        const format = formatSettingsFor(st.ts, text);
        const style = styleFor(st, text);
        const preferences = fixPreferences(style.ending, style.quote);
        const out: TsCodeFix[] = [];
        for (const diagnostic of collect(st, abs)) {
          if (diagnostic.line < from || diagnostic.line > to) continue;
          let actions: readonly ts.CodeFixAction[];
          try {
            actions = st.service.getCodeFixesAtPosition(
              abs,
              diagnostic.start,
              diagnostic.start + diagnostic.length,
              [diagnostic.code],
              format,
              preferences,
            );
          } catch {
            // A code-fix provider that trips an internal assertion on unusual code offers no fix; the others still count.
            continue;
          }
          for (const action of actions) {
            if (opts.fixNames && !opts.fixNames.includes(action.fixName)) continue;
            const changes = toChanges(st, action);
            if (changes) out.push({ fixName: action.fixName, description: action.description, diagnostic, changes });
          }
        }
        return out;
      }),
    localImports: (rel) =>
      withText(rel, undefined, (st, abs) => {
        const program = st.service.getProgram();
        const sourceFile = program?.getSourceFile(abs);
        if (!program || !sourceFile) return [];
        return [...new Set(resolvedImports(st, abs, sourceFile.text).map((f) => relOf(f)!))].sort();
      }),
    refresh() {
      generation++;
      fixedVersions.clear();
      snapshots.clear();
      contents.forget();
      if (state) {
        // Files added since the start are picked up by reading the config again; files queried outside it stay.
        const configured = new Set(state.config.fileNames.map((f) => resolve(f)));
        const queried = [...state.roots].filter((f) => !configured.has(f));
        Object.assign(state, loadState(state.ts, queried));
      }
    },
    compilerOptions: async () => (await ensure()).options,

    inspect: <T>(rel: string, fn: (view: TsFileView) => T, text?: string, opts: { importers?: boolean } = {}) =>
      withText(
        rel,
        text,
        (st, abs) => {
          const program = st.service.getProgram();
          const sourceFile = program?.getSourceFile(abs);
          if (!program || !sourceFile) throw new RedgreenError("internal", `${rel} is not part of the TypeScript program`);
          const view = { ts: st.ts, program, checker: program.getTypeChecker(), sourceFile, file: relOf(abs)! };
          return fn({ ...view, diagnostics: () => collect(st, abs), declarations: () => declarationText(st.service, abs) });
        },
        opts.importers ?? false,
      ),

    async warm(idle) {
      let st = await ensure();
      while (st !== state) st = await ensure();
      const live = st;
      // Lib files a file per turn; the program and the formatter's rules in one go; the test files' packages, held for
      // importer checks (till dispose), while the caller is idle.
      const release = await acquireLibFiles({ ...live, live: () => state === live });
      if (state === live) live.service.getProgram()?.getTypeChecker();
      release();
      if (state === live) warmFormatter(live.ts, live.service, live.roots);
      await acquirePackageImports({ ...live, testFiles: live.leftOut, live: () => state === live && idle?.aborted !== true });
    },

    dispose() {
      state?.service.dispose();
      state = null;
      snapshots.clear();
      fixedVersions.clear();
      contents.forget();
    },
  };
}

/** Releases a TsProject's language service (no-op for projects without one). */
export function closeTsProject(project: TsProject): void {
  project.dispose?.();
}
