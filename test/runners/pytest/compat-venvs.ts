// Lazily created, cached virtualenvs with other pytest versions (test/.venv-pytest7, test/.venv-pytest9).
import { join } from "node:path";
import { ensureVenv } from "../../../scripts/ensure-venv.mjs";
import { testDir } from "../../helpers/python-env.js";

/** The interpreter of a compatibility venv, created from test/requirements-pytest<major>.txt on first use. */
export function compatPython(major: 7 | 9): string {
  return ensureVenv({ venvDir: join(testDir, `.venv-pytest${major}`), requirementsFile: join(testDir, `requirements-pytest${major}.txt`) });
}
