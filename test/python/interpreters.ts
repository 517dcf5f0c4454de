// Interpreters the helper tests run on: test/.venv, plain python3, and Python 3.8 when pyenv has one.
import { existsSync, readdirSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { testPython } from "../helpers/python-env.js";

const pyenvPython = (minor: string): string | null => {
  const root = process.env.PYENV_ROOT ?? join(homedir(), ".pyenv");
  const versions = join(root, "versions");
  if (!existsSync(versions)) return null;
  const match = readdirSync(versions).find((v) => v.startsWith(`${minor}.`));
  const bin = match ? join(versions, match, "bin", "python3") : null;
  return bin && existsSync(bin) ? bin : null;
};

/** [label, interpreter] pairs; the oldest supported Python joins when it is installed. */
export const interpreters: Array<[string, string]> = [
  ["test/.venv", testPython],
  ["python3", "python3"],
  ...(pyenvPython("3.8") ? ([["python3.8", pyenvPython("3.8")!]] as Array<[string, string]>) : []),
];
