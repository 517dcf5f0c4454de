// The typescript module loaded with V8's code cache: its 9 MB compile (~0.14 s) read back from node_modules/.cache.
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import Module, { createRequire } from "node:module";
import { basename, dirname, join } from "node:path";
import vm from "node:vm";
import { reportPhase } from "../process/timings.js";
import { v8FlagsSet } from "../process/v8-flags.js";

/**
 * The cache file for CommonJS module `file`: in the node_modules/.cache/redgreen folder of the node_modules holding it,
 * named by the module's size and time, node's version and the V8 flags in force (as V8 checks its cache against them,
 * a file per set keeps commands with other flags from replacing each other's).
 */
function cachePath(file: string): string | null {
  const at = file.lastIndexOf("/node_modules/");
  if (at < 0) return null;
  const st = statSync(file);
  const flags = [...v8FlagsSet(), ...process.execArgv, process.env.NODE_OPTIONS ?? ""];
  const key = createHash("sha256")
    .update([file, st.size, st.mtimeMs, process.version, process.arch, ...flags].join("\0"))
    .digest("hex")
    .slice(0, 16);
  return join(file.slice(0, at), "node_modules", ".cache", "redgreen", `${file.slice(at + 14).replace(/[/\\]/g, "+")}-${key}.v8`);
}

/** A cache file is the SHA-256 of the cache, then the cache. */
const DIGEST_BYTES = 32;
const digest = (data: Buffer): Buffer => createHash("sha256").update(data).digest();

/**
 * Reads the cache, or undefined when there is none or it is not whole: V8 does not check a cache's bytes (a damaged
 * one stops the process), so its digest is checked here first. (Anyone who could write a matching one could write the
 * module beside it as well: the cache lives in the same node_modules.)
 */
function readCache(path: string | null): Buffer | undefined {
  if (path === null) return undefined;
  try {
    const file = readFileSync(path);
    const data = file.subarray(DIGEST_BYTES);
    return file.length > DIGEST_BYTES && digest(data).equals(file.subarray(0, DIGEST_BYTES)) ? data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Requires the CommonJS module `file` as Node would (one instance, in require.cache, the same wrapper and arguments),
 * compiled with the code cache when one was made for it under the same node and flags. Without one (or when V8 turns
 * it down) the module compiles as usual and the cache is written when the process exits, with every function compiled
 * by then (what the next process then skips compiling); a cache that cannot be written is left out.
 */
export function requireWithCodeCache(file: string): unknown {
  const require = createRequire(file);
  const known = require.cache[file];
  if (known) return known.exports;
  const started = performance.now();
  const path = cachePath(file);
  const cachedData = readCache(path);
  const source = readFileSync(file, "utf8");
  // An import() in the module loads as it would in a module Node required (the main context's loader).
  const importModuleDynamically = (vm.constants as Partial<typeof vm.constants> | undefined)?.USE_MAIN_CONTEXT_DEFAULT_LOADER;
  const script = new vm.Script(Module.wrap(source), {
    filename: file,
    ...(cachedData ? { cachedData } : {}),
    ...(importModuleDynamically ? { importModuleDynamically } : {}),
  } as vm.ScriptOptions);
  const module = new Module(file);
  module.filename = file;
  module.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(dirname(file));
  require.cache[file] = module;
  try {
    (script.runInThisContext() as (...args: unknown[]) => void).call(module.exports, module.exports, require, module, file, dirname(file));
  } catch (e) {
    delete require.cache[file];
    throw e;
  }
  module.loaded = true;
  const made = path !== null && (cachedData === undefined || script.cachedDataRejected === true);
  if (made) process.once("exit", () => writeCache(path, () => script.createCachedData()));
  const how = path === null ? "none" : cachedData === undefined ? "made at exit" : made ? "turned down by V8, made anew at exit" : "used";
  reportPhase(`load: ${basename(file)} (code cache: ${how})`, started);
  return module.exports;
}

/** Writes the cache whole or not at all (another process may read it meanwhile). */
function writeCache(path: string, data: () => Buffer): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
    const temp = `${path}.${process.pid}.tmp`;
    const cache = data();
    writeFileSync(temp, Buffer.concat([digest(cache), cache]));
    renameSync(temp, path);
  } catch {
    // A read-only install keeps compiling typescript each time.
  }
}
