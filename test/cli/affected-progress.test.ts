// `redgreen run` through the built CLI: the proof's affected-tests runs show in the progress, the report counts the runs.
import { describe, expect, it } from "vitest";
import { copyProject } from "../helpers/project-copy.js";
import { fixturePath, testPython } from "../helpers/python-env.js";
import { runCli } from "./run-cli.js";

describe("redgreen run with fixes proven on affected runs", () => {
  it("shows the affected-tests phase on stderr and how many runs of each kind it made", async () => {
    const copy = copyProject(fixturePath("proof", "two-modules"));
    try {
      const r = await runCli(["run", copy.root, "--python", testPython, "--no-llm"]);
      expect(r.exitCode).toBe(0);
      // stderr is a pipe: plain progress lines; the proof's runs say which they are, the full suite's stay unlabelled.
      expect(r.stderr).toMatch(/^progress: affected tests: 1\/1 tests done, 0 failed$/m);
      expect(r.stderr).toMatch(/^progress: 4\/4 tests done, 0 failed$/m);
      expect(r.stderr).toContain("(on the affected tests only; the full run at the end of the iteration confirms it)");
      expect(r.stdout).toMatch(/^ {2}test runs: 2 full, 2 affected-only, \d+ targeted$/m);
    } finally {
      copy.cleanup();
    }
  }, 240_000);
});
