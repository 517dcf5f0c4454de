// Representative missing-import mutants of test/fixtures/import-mutants, end to end: delete one import, run real pytest,
// let the pattern registry fix what breaks until green. The full sweep over all imports is bench/benchmarks/import-mutants.mjs.
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { analyzeFailure } from "../../src/analysis/index.js";
import { applyEdits } from "../../src/fixers/apply.js";
import { createPatternContext, findPatternFix } from "../../src/fixers/patterns/index.js";
import { PythonHelper } from "../../src/python/client.js";
import type { TestRunnerAdapter } from "../../src/runners/adapter.js";
import { createPytestAdapter } from "../../src/runners/pytest/adapter.js";
import { fixturePath, testPython } from "../helpers/python-env.js";

describe("missing-import mutants (fixture: import-mutants)", () => {
  let dir: string;
  let adapter: TestRunnerAdapter;
  let helper: PythonHelper;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "redgreen-mutants-"));
    await cp(fixturePath("import-mutants"), dir, { recursive: true });
    adapter = await createPytestAdapter({ projectRoot: dir, python: testPython });
    helper = await PythonHelper.start({ python: testPython, projectRoot: dir });
  });
  afterAll(async () => {
    await helper?.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** Deletes the line `statement` from `file`, then fixes and re-runs until green (at most 6 rounds). */
  const mutateAndHeal = async (file: string, statement: string) => {
    const original = await readFile(join(dir, file), "utf8");
    expect(original.split("\n")).toContain(statement);
    await writeFile(
      join(dir, file),
      original
        .split("\n")
        .filter((l) => l !== statement)
        .join("\n"),
    );
    let result = await adapter.runTests();
    const broken = result.status;
    const patternIds: string[] = [];
    while (result.status !== "passed" && patternIds.length < 6) {
      let fixed = false;
      for (const failure of result.failures) {
        const ctx = createPatternContext({ failure, analysis: analyzeFailure(failure, { projectRoot: dir }), projectRoot: dir, helper });
        const found = await findPatternFix(ctx);
        if (!found) continue;
        patternIds.push(found.patternId);
        await applyEdits(dir, found.proposal.edits);
        fixed = true;
        break;
      }
      if (!fixed) break;
      result = await adapter.runTests();
    }
    const healed = await readFile(join(dir, file), "utf8");
    await writeFile(join(dir, file), original);
    return { broken, result, patternIds, healed, original };
  };

  it("restores a package re-export that other modules import from (ImportError: cannot import name)", async () => {
    const r = await mutateAndHeal("ledgerly/__init__.py", "from ledgerly.money import Money");
    expect(r.broken).toBe("failed");
    expect(r.result.status).toBe("passed");
    expect(r.healed).toBe(r.original);
  });

  it("restores `from __future__ import annotations` when a class annotates with itself", async () => {
    const r = await mutateAndHeal("ledgerly/money.py", "from __future__ import annotations");
    expect(r.result.status).toBe("passed");
    expect(r.healed).toBe(r.original);
  });

  it("rebuilds a deleted four-name SQLAlchemy import in ONE fix, as one sorted statement (Session too, not pytest's)", async () => {
    const r = await mutateAndHeal("ledgerly/storage.py", "from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column");
    expect(r.patternIds).toEqual(["missing-import"]);
    expect(r.result.status).toBe("passed");
    expect(r.healed).toBe(r.original);
  });

  it("adds `import pytest` back to conftest.py (an import is allowed in test files)", async () => {
    const r = await mutateAndHeal("tests/conftest.py", "import pytest");
    expect(r.result.status).toBe("passed");
    expect(r.healed).toBe(r.original);
  });
});
