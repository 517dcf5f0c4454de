// checkFix on a real project in a temp dir: limits across all files of one fix, and edits aimed at a directory.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkFix, previewEdits } from "../../src/fixers/check-fix.js";
import type { CheckFixDeps } from "../../src/fixers/check-fix.js";
import { PythonHelper } from "../../src/python/client.js";
import { isPytestTestPath } from "../../src/validation/test-paths.js";
import { testPython } from "../helpers/python-env.js";

const numbered = (prefix: string, n: number): string => Array.from({ length: n }, (_, i) => `${prefix}${i} = ${i}`).join("\n") + "\n";

let root: string;
let helper: PythonHelper;
let deps: CheckFixDeps;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "redgreen-checkfix-"));
  await mkdir(join(root, "app", "pkg"), { recursive: true });
  await writeFile(join(root, "app", "a.py"), numbered("a", 40));
  await writeFile(join(root, "app", "b.py"), numbered("b", 40));
  helper = await PythonHelper.start({ python: testPython, projectRoot: root });
  deps = { projectRoot: root, helper, allowTestEdits: false, isTestFile: isPytestTestPath };
});
afterAll(async () => {
  await helper.close();
  await rm(root, { recursive: true, force: true });
});

/** An edit changing lines start..start+count-1 of a numbered file (each value doubled). */
const change = (file: string, prefix: string, start: number, count: number) => {
  const lines = Array.from({ length: count }, (_, i) => `${prefix}${start + i} = ${start + i}`);
  return { file, find: lines.join("\n"), replace: lines.map((l) => `${l} * 2`).join("\n") };
};

describe("checkFix", () => {
  it("rejects a fix whose files together change more than 20 lines, each file within its own limit", async () => {
    const result = await checkFix([change("app/a.py", "a", 0, 12), change("app/b.py", "b", 0, 12)], deps);
    expect(result.valid).toBe(false);
    expect(result.reasons).toEqual([expect.stringMatching(/^size: 24 changed lines across 2 files \(at most 20 per fix\)/)]);
    const relaxed = await checkFix([change("app/a.py", "a", 0, 12), change("app/b.py", "b", 0, 12)], {
      ...deps,
      limits: { maxTotalChangedLines: 30 },
    });
    expect(relaxed.reasons).toEqual([]);
    expect((await checkFix([change("app/a.py", "a", 0, 5), change("app/b.py", "b", 0, 5)], deps)).valid).toBe(true);
  });

  it("rejects deleting 20 lines of a 30-line file", async () => {
    await writeFile(join(root, "app", "small.py"), numbered("s", 30));
    const find = Array.from({ length: 21 }, (_, i) => `s${i + 9} = ${i + 9}`).join("\n");
    const result = await checkFix([{ file: "app/small.py", find, replace: "s29 = 29" }], deps);
    expect(result.valid).toBe(false);
    expect(result.reasons).toEqual([expect.stringMatching(/^app\/small\.py: size: app\/small\.py loses 67% of its lines \(30 → 10/)]);
  });

  it("turns an edit aimed at a directory into a rejection reason, not a throw", async () => {
    const edit = { file: "app/pkg", find: "x", replace: "y" };
    expect(await previewEdits(root, [edit])).toEqual({ ok: false, reason: "app/pkg is a directory, not a file", risk: "high" });
    const result = await checkFix([edit], deps);
    expect(result).toMatchObject({ valid: false, reasons: ["app/pkg is a directory, not a file"] });
  });

  it("aggregates the policy violations of every file, and accepts them as warnings with risk high under allowRisky", async () => {
    await writeFile(join(root, "app", "c.py"), "def c():\n    return 1\n");
    await writeFile(join(root, "app", "d.py"), "def d():\n    return 2\n");
    const edits = [
      { file: "app/c.py", find: "    return 1", replace: "    import os\n    os._exit(0)" },
      { file: "app/d.py", find: "    return 2", replace: "    return eval('2')" },
    ];
    const rejected = await checkFix(edits, deps);
    expect(rejected.valid).toBe(false);
    expect(rejected.reasons).toEqual([
      "app/c.py: policy.test_infrastructure: os._exit(0) (line 3)",
      "app/d.py: policy.code_execution: eval('2') (line 2)",
    ]);
    expect(rejected.violations).toEqual([
      { rule: "policy.test_infrastructure", file: "app/c.py", line: 3, evidence: "os._exit(0)" },
      { rule: "policy.code_execution", file: "app/d.py", line: 2, evidence: "eval('2')" },
    ]);
    const accepted = await checkFix(edits, { ...deps, allowRisky: true });
    expect(accepted).toMatchObject({ valid: true, risk: "high", violations: rejected.violations });
    expect(accepted.warnings).toContain("app/d.py: policy.code_execution: eval('2') (line 2) (allowed by allowRisky; risk high)");
  });
});
