// loadTypeScript: the `typescript` module, required on first use so Python-only runs never pay for it.
import { createRequire } from "node:module";
import type ts from "typescript";
import { requireWithCodeCache } from "./code-cache.js";

/** The typescript module's API (the namespace `import("typescript")` exports). */
export type TypeScriptApi = typeof ts;

/**
 * Loads redgreen's own typescript dependency (Node's module cache makes later calls free). Required, not imported:
 * typescript is CommonJS, and importing it from ESM also builds the ESM facade over its exports (the named exports
 * found by parsing its 9 MB of source), which costs about 30 MB of RSS that require does not. Compiled with V8's code
 * cache (src/ts-project/code-cache.ts): 0.14 s of compiling saved in each process after the first.
 */
export async function loadTypeScript(): Promise<TypeScriptApi> {
  return Promise.resolve(requireWithCodeCache(createRequire(import.meta.url).resolve("typescript")) as TypeScriptApi);
}
