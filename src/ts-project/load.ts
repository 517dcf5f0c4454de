// loadTypeScript: the `typescript` module, required on first use so Python-only runs never pay for it.
import { createRequire } from "node:module";
import type ts from "typescript";

/** The typescript module's API (the namespace `import("typescript")` exports). */
export type TypeScriptApi = typeof ts;

/**
 * Loads redgreen's own typescript dependency (Node's module cache makes later calls free). Through `require`, not
 * `import()`: typescript is CommonJS, and importing it from ESM also builds the ESM facade over its exports (the named
 * exports found by parsing its 9 MB of source), which costs about 30 MB of RSS that require does not.
 */
export async function loadTypeScript(): Promise<TypeScriptApi> {
  return Promise.resolve(createRequire(import.meta.url)("typescript") as TypeScriptApi);
}
