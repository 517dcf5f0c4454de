// Paths of the Python environments the tests run real pytest in.
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository's test/ folder. */
export const testDir = fileURLToPath(new URL("..", import.meta.url));
/** test/.venv: pytest 8 with pytest-cov, pytest-asyncio, pytest-xdist, SQLAlchemy and click. */
export const venvDir = join(testDir, ".venv");
/** The interpreter of test/.venv. */
export const testPython = join(venvDir, "bin", "python");
/** Absolute path of a fixture project under test/fixtures. */
export const fixturePath = (...segments: string[]): string => join(testDir, "fixtures", ...segments);
