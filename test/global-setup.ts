// Creates test/.venv from test/requirements.txt when it is missing or stale, and reuses it otherwise.
import { join } from "node:path";
import { ensureVenv } from "../scripts/ensure-venv.mjs";
import { testDir, venvDir } from "./helpers/python-env.js";

export default function setup(): void {
  ensureVenv({ venvDir, requirementsFile: join(testDir, "requirements.txt") });
}
