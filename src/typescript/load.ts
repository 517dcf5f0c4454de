// loadTypeScript: the `typescript` module, imported on first use so Python-only runs never pay for it.
import type ts from "typescript";

/** The typescript module's API (the namespace `import("typescript")` exports). */
export type TypeScriptApi = typeof ts;

/** Imports redgreen's own typescript dependency (Node's module cache makes later calls free). */
export async function loadTypeScript(): Promise<TypeScriptApi> {
  // typescript is CommonJS: its module.exports is the ESM default export.
  return (await import("typescript")).default;
}
