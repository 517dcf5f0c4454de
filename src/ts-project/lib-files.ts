// Files parsed ahead into a language service's registry (its lib files, the packages its test files import), one per turn.
import { dirname, resolve } from "node:path";
import { setImmediate as yieldToLoop } from "node:timers/promises";
import type ts from "typescript";
import type { TypeScriptApi } from "./load.js";

/** What a pre-parse needs of the language service it prepares: its registry, host and options. */
export interface AheadInput {
  ts: TypeScriptApi;
  registry: ts.DocumentRegistry;
  host: ts.LanguageServiceHost;
  options: ts.CompilerOptions;
  /** False once the service the files are for was disposed: the pre-parse stops at the next file. */
  live: () => boolean;
}

/** Runtime exports of typescript that its declarations do not name (absent from another version: nothing is pre-parsed). */
interface TypeScriptInternals {
  toPath?: (fileName: string, basePath: string | undefined, getCanonicalFileName: (f: string) => string) => ts.Path;
  libMap?: ReadonlyMap<string, string>;
  bindSourceFile?: (file: ts.SourceFile, options: ts.CompilerOptions) => void;
  createGetCanonicalFileName?: (useCaseSensitiveFileNames: boolean) => (fileName: string) => string;
}

/**
 * Acquires `start` and the files `next` names from each, transitively, through the service's own registry with the key,
 * version and snapshot the service asks with, so its programs take these source files instead of parsing them; each is
 * bound too (a program's checker binds a file once). One file per turn of the event loop: a test run's progress and end
 * are heard between files. `first` goes first once it is named. Returns a function that drops the pre-parse's hold.
 */
async function acquireAhead(
  input: AheadInput,
  start: string[],
  next: (file: ts.SourceFile) => string[],
  first?: string,
): Promise<() => void> {
  const { ts: tsApi, registry, host, options } = input;
  const internals = tsApi as unknown as TypeScriptInternals;
  const { toPath, createGetCanonicalFileName } = internals;
  if (!toPath || !createGetCanonicalFileName) return () => undefined;
  const cwd = host.getCurrentDirectory();
  // The service's own rule for a file's path (the registry's key), as it makes it from the host's case sensitivity.
  const canonical = createGetCanonicalFileName(host.useCaseSensitiveFileNames?.() ?? false);
  const key = registry.getKeyForCompilationSettings(options);
  const acquired: { path: ts.Path; format: ts.ResolutionMode }[] = [];
  const release = (): void => {
    for (const a of acquired.splice(0)) registry.releaseDocumentWithKey(a.path, key, tsApi.ScriptKind.TS, a.format);
  };
  const queue = [...new Set(start)];
  const seen = new Set(queue);
  while (queue.length > 0) {
    await yieldToLoop();
    if (!input.live()) break;
    const fileName = first !== undefined && queue.includes(first) ? queue.splice(queue.indexOf(first), 1)[0]! : queue.shift()!;
    const snapshot = host.getScriptSnapshot(fileName);
    if (!snapshot) continue;
    const path = toPath(fileName, cwd, canonical);
    const file = registry.acquireDocumentWithKey(fileName, path, host, key, snapshot, host.getScriptVersion(fileName));
    acquired.push({ path, format: file.impliedNodeFormat });
    internals.bindSourceFile?.(file, options);
    for (const f of next(file)) {
      if (!seen.has(f)) {
        seen.add(f);
        queue.push(f);
      }
    }
  }
  return release;
}

/**
 * Acquires the lib files the program will hold: the default lib or the config's `lib`, and every `/// <reference lib>`
 * they name. lib.dom.d.ts (1.8 MB, most of a program's text when the target's default lib includes the DOM) goes first.
 * The hold is for until the program is built (a file the program did not take is then freed).
 */
export async function acquireLibFiles(input: AheadInput): Promise<() => void> {
  const { ts: tsApi, options } = input;
  const { libMap } = tsApi as unknown as TypeScriptInternals;
  if (options.noLib || !libMap) return () => undefined;
  const defaultLib = tsApi.getDefaultLibFilePath(options);
  const inLibDir = (name: string): string => `${defaultLib.slice(0, defaultLib.lastIndexOf("/") + 1)}${name}`;
  const referenced = (file: ts.SourceFile): string[] =>
    file.libReferenceDirectives.flatMap((ref) => {
      const name = libMap.get(ref.fileName.toLowerCase());
      return name === undefined ? [] : [inLibDir(name)];
    });
  return acquireAhead(input, options.lib ? options.lib.map(inLibDir) : [defaultLib], referenced, inLibDir("lib.dom.d.ts"));
}

// How many test files are read for the packages they import: a suite's test files import the same runner API.
const TEST_FILE_SAMPLE = 8;

/**
 * Acquires the declaration files of the packages the first few `testFiles` import (a runner's API types: what a check
 * that adds a test file to the program parses), following their imports and `/// <reference path>` through other
 * declaration files inside node_modules. The test files themselves and project modules are left to the program.
 */
export async function acquirePackageImports(
  input: AheadInput & { moduleCache: ts.ModuleResolutionCache; testFiles: readonly string[] },
): Promise<() => void> {
  const { ts: tsApi, host, options, moduleCache } = input;
  const inPackage = (f: string): boolean => f.split(/[\\/]/).includes("node_modules") && /\.d\.[cm]?ts$/.test(f);
  const importsOf = (fileName: string, text: string, format: ts.ResolutionMode): string[] => {
    const info = tsApi.preProcessFile(text, true, true);
    const imported = info.importedFiles.flatMap((ref) => {
      const resolved = tsApi.resolveModuleName(ref.fileName, fileName, options, host, moduleCache, undefined, format).resolvedModule;
      return resolved ? [resolved.resolvedFileName] : [];
    });
    const dir = dirname(fileName);
    const referenced = info.referencedFiles.map((ref) => resolve(dir, ref.fileName));
    return [...imported, ...referenced].filter(inPackage);
  };
  const start: string[] = [];
  for (const f of input.testFiles.slice(0, TEST_FILE_SAMPLE)) {
    await yieldToLoop();
    if (!input.live()) return () => undefined;
    const text = host.readFile(f);
    if (text === undefined) continue;
    const format = tsApi.getImpliedNodeFormatForFile(f as ts.Path, moduleCache.getPackageJsonInfoCache(), host, options);
    for (const d of importsOf(f, text, format)) if (!start.includes(d)) start.push(d);
  }
  return acquireAhead(input, start, (file) => importsOf(file.fileName, file.text, file.impliedNodeFormat));
}
