// Creates test/.venv from test/requirements.txt when it is missing or stale, and reuses it otherwise.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { testDir, testPython, venvDir } from "./helpers/python-env.js";

const requirementsFile = join(testDir, "requirements.txt");
const stampFile = join(venvDir, ".requirements.sha256");

const which = (cmd: string): boolean => {
  try {
    execFileSync(cmd, ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
};

export default function setup(): void {
  const wanted = createHash("sha256").update(readFileSync(requirementsFile)).digest("hex");
  if (existsSync(testPython) && existsSync(stampFile) && readFileSync(stampFile, "utf8").trim() === wanted) return;
  if (!which("python3")) {
    throw new Error("The test suite needs python3 (3.9 or newer) on PATH to create test/.venv; install it and run npm test again.");
  }
  rmSync(venvDir, { recursive: true, force: true });
  process.stderr.write("redgreen tests: creating test/.venv (one time) …\n");
  execFileSync("python3", ["-m", "venv", venvDir], { stdio: "inherit" });
  execFileSync(testPython, ["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r", requirementsFile], {
    stdio: "inherit",
  });
  writeFileSync(stampFile, wanted + "\n");
}
