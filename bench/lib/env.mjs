// What benchmarks run against: the repository, the built CLI and the test/.venv interpreter.
import { existsSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
export const cliBin = join(repoRoot, "bin", "redgreen.js");
export const venvPython = join(repoRoot, "test", ".venv", "bin", "python");

/** Throws a clear message when the build or the test virtualenv is missing. */
export function checkPrerequisites() {
  if (!existsSync(join(repoRoot, "dist", "src", "cli", "main.js")))
    throw new Error("the CLI is not built: run `npm run build` (npm run bench does)");
  if (!existsSync(venvPython)) throw new Error("test/.venv is missing: run `npm test` once, which creates it from test/requirements.txt");
}

/** The machine a result was measured on, recorded next to every result. */
export const machine = () => ({
  node: process.version,
  cpus: cpus().length,
  cpuModel: cpus()[0]?.model ?? "unknown",
  loadavg1m: Math.round(loadavg()[0] * 100) / 100,
});
