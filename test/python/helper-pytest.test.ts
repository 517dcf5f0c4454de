// Runs the pytest tests of the helper's package (test/python/redgreen_ops) on the test venv's interpreter.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { testDir, testPython } from "../helpers/python-env.js";

describe("the helper package's pytest tests", () => {
  it("pass, and more than 20 of them ran", () => {
    const run = spawnSync(testPython, ["-m", "pytest", join("test", "python", "redgreen_ops"), "-q", "-p", "no:cacheprovider"], {
      cwd: join(testDir, ".."),
      encoding: "utf8",
      timeout: 60_000,
    });
    const output = `${run.stdout}\n${run.stderr}`;
    expect(run.status, output).toBe(0);
    const passed = Number(/(\d+) passed/.exec(output)?.[1] ?? 0);
    expect(passed, output).toBeGreaterThan(20);
    expect(output).not.toMatch(/\d+ (failed|error)/);
  });
});
