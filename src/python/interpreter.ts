// resolvePython: picks the Python interpreter a project's tests run with.
import { lstatSync, statSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";
import { RedgreenError } from "../domain/errors.js";
import { runProcess } from "../process/run.js";

export interface ResolvePythonOptions {
  projectRoot: string;
  /** An explicit interpreter (`--python PATH`): a path, or a command name looked up on PATH. */
  python?: string;
  env?: Record<string, string | undefined>;
}

/** Project-local virtualenv interpreters, in the order they are tried. */
const VENV_CANDIDATES = [
  [".venv", "bin", "python"],
  ["venv", "bin", "python"],
  [".venv", "Scripts", "python.exe"],
  ["venv", "Scripts", "python.exe"],
];

const PROBE = "import sys; print(sys.executable)";

/**
 * The project's own virtualenv interpreter (the first of VENV_CANDIDATES that is there), without starting it; null
 * without one. A link whose target is gone (the base Python the venv was made from was removed) is there: that venv
 * is broken and gets reported, not passed over for a system Python with other packages.
 */
export function projectVenvInterpreter(projectRoot: string): string | null {
  for (const parts of VENV_CANDIDATES) {
    const path = join(resolve(projectRoot), ...parts);
    if (lstatSync(path, { throwIfNoEntry: false }) !== undefined) return path;
  }
  return null;
}

/** The interpreter resolvePython would return for `python` when that is the path of an existing file, else null. */
function givenInterpreterFile(python: string): string | null {
  if (!(python.includes("/") || python.includes("\\"))) return null;
  const path = isAbsolute(python) ? python : resolve(python);
  try {
    return path.includes("/") && statSync(path).isFile() ? path : null;
  } catch {
    return null;
  }
}

/**
 * The interpreter a project's runs use, known without starting it: `python` when it names an existing file, else (none
 * given) the project's own virtualenv interpreter; null when only resolvePython can tell (a command name on PATH).
 */
export function uncheckedInterpreter(projectRoot: string, python: string | undefined): string | null {
  return python !== undefined && python !== "" ? givenInterpreterFile(python) : projectVenvInterpreter(projectRoot);
}

/** Runs the interpreter once; returns its sys.executable or the reason it does not run. */
async function probe(
  python: string,
  cwd: string,
  env?: Record<string, string | undefined>,
): Promise<{ executable: string } | { problem: string }> {
  try {
    const r = await runProcess(python, ["-c", PROBE], { cwd, timeoutMs: 20_000, maxOutputBytes: 64 * 1024, env });
    if (r.exitCode === 0) return { executable: r.stdout.trim() || python };
    const detail = (r.stderr.trim().split("\n").pop() ?? "").slice(0, 300);
    return {
      problem: r.timedOut ? "it did not answer within 20 s" : `it exited with code ${String(r.exitCode)}${detail ? ` (${detail})` : ""}`,
    };
  } catch (e) {
    return { problem: e instanceof Error ? e.message : String(e) };
  }
}

/**
 * The interpreter to run a project's tests with: `python` when given, else the project's `.venv`/`venv`
 * interpreter, else `python3` (then `python`) on PATH. Throws RedgreenError("python_missing") when the
 * chosen one does not run.
 */
export async function resolvePython(options: ResolvePythonOptions): Promise<string> {
  const root = resolve(options.projectRoot);
  if (options.python !== undefined && options.python !== "") {
    const given = options.python;
    const path = given.includes("/") || given.includes("\\") ? (isAbsolute(given) ? given : resolve(given)) : given;
    const r = await probe(path, root, options.env);
    if ("problem" in r) {
      throw new RedgreenError("python_missing", `The Python interpreter ${given} does not run: ${r.problem}.`);
    }
    return path.includes("/") ? path : r.executable;
  }
  const path = projectVenvInterpreter(root);
  if (path !== null) {
    const r = await probe(path, root, options.env);
    if ("problem" in r) {
      // A broken project venv is reported, not silently replaced by a system Python with other packages.
      throw new RedgreenError(
        "python_missing",
        `The project's virtualenv interpreter ${path} does not run: ${r.problem}. Recreate the virtualenv or pass --python.`,
      );
    }
    return path;
  }
  const problems: string[] = [];
  for (const name of ["python3", "python"]) {
    const r = await probe(name, root, options.env);
    if ("executable" in r) return r.executable;
    problems.push(`${name}: ${r.problem}`);
  }
  throw new RedgreenError(
    "python_missing",
    `No Python interpreter found: the project has no .venv or venv, and neither python3 nor python runs on PATH (` +
      `${problems.join("; ")}). Install Python 3 or pass --python PATH.`,
  );
}
