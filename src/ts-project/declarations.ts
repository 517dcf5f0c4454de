// A file's declaration output: what its importers see of it (the text tsc's incremental builds compare to skip them).
import type ts from "typescript";

/** The .d.ts text the service emits for `abs` (emitted even where the config says noEmit), or null when it emits none. */
export function declarationText(service: ts.LanguageService, abs: string): string | null {
  try {
    return service.getEmitOutput(abs, true, true).outputFiles.find((f) => /\.d\.[cm]?ts$/.test(f.name))?.text ?? null;
  } catch {
    // A file the emitter trips on has no comparable declarations: its importers are checked.
    return null;
  }
}
