// Creates a Python virtualenv from a pinned requirements file when missing or stale; reuses it otherwise.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const runs = (cmd) => {
  try {
    execFileSync(cmd, ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
};

/** Returns the venv's python; throws one clear sentence when python3 is missing. */
export function ensureVenv({ venvDir, requirementsFile, log = (m) => process.stderr.write(m + "\n") }) {
  const python = join(venvDir, "bin", "python");
  const stamp = join(venvDir, ".requirements.sha256");
  const wanted = createHash("sha256").update(readFileSync(requirementsFile)).digest("hex");
  if (existsSync(python) && existsSync(stamp) && readFileSync(stamp, "utf8").trim() === wanted) return python;
  if (!runs("python3")) {
    throw new Error(`python3 (3.9 or newer) is needed on PATH to create ${venvDir}; install it and try again.`);
  }
  rmSync(venvDir, { recursive: true, force: true });
  log(`redgreen: creating ${venvDir} from ${requirementsFile} (one time) …`);
  execFileSync("python3", ["-m", "venv", venvDir], { stdio: ["ignore", "inherit", "inherit"] });
  execFileSync(python, ["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r", requirementsFile], {
    stdio: ["ignore", "inherit", "inherit"],
  });
  writeFileSync(stamp, wanted + "\n");
  return python;
}
