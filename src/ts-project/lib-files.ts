// acquireLibFiles: the program's TypeScript lib files parsed and bound one file at a time, yielding between files.
import { setImmediate as yieldToLoop } from "node:timers/promises";
import type ts from "typescript";
import type { TypeScriptApi } from "./load.js";

/** What the pre-parse needs of the language service it prepares: its registry, host and options. */
export interface LibFilesInput {
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
}

/**
 * Acquires the lib files the program will hold (the default lib or the config's `lib`, and every `/// <reference lib>`
 * they name) through the service's own registry with the key, version and snapshot the service asks with, so its
 * program takes these source files instead of parsing them; each is bound too (the program's checker binds a file once).
 * One file per turn of the event loop: a test run's progress and end are heard between files. lib.dom.d.ts (1.8 MB,
 * most of a program's text when the target's default lib includes the DOM) goes first. Returns a function that drops
 * the pre-parse's hold on them, for after the program is built (a file the program did not take is then freed).
 */
export async function acquireLibFiles(input: LibFilesInput): Promise<() => void> {
  const { ts: tsApi, registry, host, options } = input;
  const internals = tsApi as unknown as TypeScriptInternals;
  const { toPath, libMap } = internals;
  if (options.noLib || !toPath || !libMap) return () => undefined;
  const cwd = host.getCurrentDirectory();
  const canonical = (f: string): string => (tsApi.sys.useCaseSensitiveFileNames ? f : f.toLowerCase());
  const defaultLib = tsApi.getDefaultLibFilePath(options);
  const inLibDir = (name: string): string => `${defaultLib.slice(0, defaultLib.lastIndexOf("/") + 1)}${name}`;
  const key = registry.getKeyForCompilationSettings(options);
  const acquired: { path: ts.Path; format: ts.ResolutionMode }[] = [];
  const release = (): void => {
    for (const a of acquired.splice(0)) registry.releaseDocumentWithKey(a.path, key, tsApi.ScriptKind.TS, a.format);
  };
  const queue = options.lib ? options.lib.map(inLibDir) : [defaultLib];
  const dom = inLibDir("lib.dom.d.ts");
  const seen = new Set(queue);
  while (queue.length > 0) {
    await yieldToLoop();
    if (!input.live()) break;
    // lib.dom first once a lib names it: the longest parse happens while the run has the most left to do.
    const next = queue.includes(dom) ? queue.splice(queue.indexOf(dom), 1)[0]! : queue.shift()!;
    const snapshot = host.getScriptSnapshot(next);
    if (!snapshot) continue;
    const path = toPath(next, cwd, canonical);
    const file = registry.acquireDocumentWithKey(next, path, host, key, snapshot, host.getScriptVersion(next));
    acquired.push({ path, format: file.impliedNodeFormat });
    internals.bindSourceFile?.(file, options);
    for (const ref of file.libReferenceDirectives) {
      const name = libMap.get(ref.fileName.toLowerCase());
      const lib = name === undefined ? undefined : inLibDir(name);
      if (lib !== undefined && !seen.has(lib)) {
        seen.add(lib);
        queue.push(lib);
      }
    }
  }
  return release;
}
