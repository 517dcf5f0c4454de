// The plugin's results agree with pytest's own JUnit XML of the same run, on every fixture project.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { TestRunResult } from "../../../src/domain/index.js";
import { parseJUnitXml, type JUnitRunParts } from "../../../src/parsers/junit-xml.js";
import { createPytestAdapter } from "../../../src/runners/pytest/adapter.js";
import { testPython } from "../../helpers/python-env.js";
import { fixtureCopies } from "./fixture-copies.js";

const copies = fixtureCopies();
const out = mkdtempSync(join(tmpdir(), "redgreen-junit-"));
afterAll(() => {
  copies.cleanup();
  rmSync(out, { recursive: true, force: true });
});

const failureKeys = (r: { failures: TestRunResult["failures"] }): string[] =>
  r.failures.map((f) => `${f.nodeId} | ${f.phase} | ${f.errorType} | line ${String(f.lineNumber)}`).sort();

const cases: { fixture: string; files?: string[] }[] = [
  { fixture: "passing" },
  { fixture: "failing" },
  { fixture: "collection_error" },
  { fixture: "marks" },
  { fixture: "parametrized" },
  { fixture: "coverage" },
  { fixture: "big_output" },
  { fixture: "bad_utf8" },
  { fixture: "hanging", files: ["test_hang.py"] },
];

describe("plugin results agree with pytest's JUnit XML", () => {
  it.each(cases)("$fixture", async ({ fixture, files }) => {
    const root = copies.copy(fixture);
    const junitPath = join(out, `${fixture}.xml`);
    // A later --junitxml wins, so pytest writes its report where this test can read it.
    const adapter = await createPytestAdapter({
      projectRoot: root,
      python: testPython,
      testTimeoutSeconds: 1,
      pytestArgs: [`--junitxml=${junitPath}`],
    });
    const run = await adapter.runTests(files ? { files } : {});
    const junit: JUnitRunParts = parseJUnitXml(readFileSync(junitPath, "utf8"), { rootDir: root });

    expect(run.source).toBe("jsonl");
    expect(failureKeys(junit)).toEqual(failureKeys(run));
    expect({ failed: junit.failed, errors: junit.errors, skipped: junit.skipped, xfailed: junit.xfailed }).toEqual({
      failed: run.failed,
      errors: run.errors,
      skipped: run.skipped,
      xfailed: run.xfailed,
    });
    // JUnit cannot tell an unexpected pass from a pass.
    expect(junit.passed).toBe(run.passed + run.xpassed);
    expect(junit.passedNodeIds).toEqual(expect.arrayContaining(run.passedNodeIds));
    expect(junit.passedNodeIds.length).toBe(run.passedNodeIds.length + run.xpassed);
  });
});
