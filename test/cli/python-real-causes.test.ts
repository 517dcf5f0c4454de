// `redgreen run --no-llm` through the built CLI on the causes found on real Python projects (toolz, asyncstdlib): each
// fixture goes green with the lost line restored as the project spelled it, the proof keeping it, no test file touched.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { copyProject } from "../helpers/project-copy.js";
import { fixturePath, testPython } from "../helpers/python-env.js";
import { expectNoStackTrace, runCli } from "./run-cli.js";

interface RunSummary {
  status: string;
  fixes: { file: string; strategy: string; status: string }[];
}

const cases = [
  { fixture: "import-reach", file: "kit/versions.py", restored: "\nfrom importlib.metadata import version\n", kept: 3 },
  // import-gather holds two deleted imports: lib/heap.py's and lib/pairs.py's (whose aiter import stayed).
  {
    fixture: "import-gather",
    file: "lib/heap.py",
    restored: "\nfrom ._core import aiter, awaitify, borrow\nfrom .tools import scale\n",
    kept: 2,
  },
  { fixture: "typo-swap", file: "shapes/compose.py", restored: "\n            self, tuple(f.__name__ for f in self.funcs))\n", kept: 1 },
];

describe("redgreen run --no-llm on the real-project causes", () => {
  for (const c of cases) {
    it(`${c.fixture}: green, ${c.file} restored, tests untouched`, async () => {
      const copy = copyProject(fixturePath("patterns", c.fixture));
      try {
        const testsDir = join(copy.root, "tests");
        const tests = (): string[] =>
          readdirSync(testsDir)
            .filter((n) => n.endsWith(".py"))
            .map((n) => readFileSync(join(testsDir, n), "utf8"));
        const snapshot = tests();
        const r = await runCli(["run", copy.root, "--python", testPython, "--no-llm", "--json", "--db", join(copy.root, "rg.db")]);
        expectNoStackTrace(r.stderr);
        const summary = JSON.parse(r.stdout.trim().split("\n").pop() ?? "") as RunSummary;
        expect(summary.status).toBe("passed");
        expect(r.exitCode).toBe(0);
        expect(summary.fixes.filter((f) => f.status === "kept")).toHaveLength(c.kept);
        expect(readFileSync(join(copy.root, c.file), "utf8")).toContain(c.restored);
        expect(tests()).toEqual(snapshot);
      } finally {
        copy.cleanup();
      }
    }, 180_000);
  }
});
