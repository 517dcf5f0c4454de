// relatedSelection: the changed files a JS runner's own impact machinery (vitest related, jest --findRelatedTests)
// follows to their tests, or why the whole suite must run instead.
import { existsSync } from "node:fs";
import { join, posix } from "node:path";
import { isScriptPath } from "../../analysis/language.js";
import { changedFileList } from "../changed-files.js";

/** Files that configure the build or the runner: a change to one can change any test. */
const PROJECT_CONFIG_RE =
  /^(?:package\.json|tsconfig(?:\..+)?\.json|jsconfig\.json|babel\.config\.[cm]?js(?:on)?|\.babelrc(?:\.[cm]?js(?:on)?)?)$/;

/** What an affected-tests run gives the runner: absolute changed files to follow, or the reason to run the whole suite. */
export type RelatedSelection =
  { ok: true; changedFiles: string[]; related: string[] } | { ok: false; changedFiles: string[]; fallback: string };

export interface RelatedContext {
  projectRoot: string;
  runner: "vitest" | "jest";
  /** Whether a project-relative file is one of the runner's config files or a setup file its config (or convention) names. */
  isConfigOrSetup: (relPath: string) => boolean;
}

/**
 * The runner follows imports from the changed modules to the test files that reach them (a changed test file selects
 * itself). It cannot follow a config or setup file, a file that is gone, or a file that is no module (a snapshot, a
 * fixture read from disk): the whole suite runs then, saying why.
 */
export function relatedSelection(changed: readonly string[], ctx: RelatedContext): RelatedSelection {
  const changedFiles = changedFileList(changed, ctx.projectRoot);
  const fallback = (why: string): RelatedSelection => ({ ok: false, changedFiles, fallback: why });
  for (const file of changedFiles) {
    if (PROJECT_CONFIG_RE.test(posix.basename(file)) || ctx.isConfigOrSetup(file)) {
      return fallback(`${file} is a configuration or setup file, which can change any test`);
    }
    if (!isScriptPath(file) && !file.endsWith(".json")) return fallback(`${file} is not a module ${ctx.runner} follows imports of`);
    if (!existsSync(join(ctx.projectRoot, file))) return fallback(`${file} does not exist, so ${ctx.runner} cannot follow its imports`);
  }
  return { ok: true, changedFiles, related: changedFiles.map((f) => join(ctx.projectRoot, f)) };
}
