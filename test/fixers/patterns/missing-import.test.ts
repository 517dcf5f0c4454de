// missing-import on a real project: stdlib, project symbol (relative style), installed package, and a test file at collection.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPatternProject, type PatternProject } from "../pattern-harness.js";

describe("missing-import pattern (fixture: patterns/imports)", () => {
  let p: PatternProject;
  beforeAll(async () => {
    p = await openPatternProject("imports");
  });
  afterAll(async () => p?.close());

  it("starts red: three NameErrors at call time, one while collecting a test module, one printed by a worker thread", () => {
    expect(p.before.status).toBe("failed");
    expect(p.before.failures.map((f) => `${f.phase}:${f.errorType}`).sort()).toEqual([
      "call:AssertionError",
      "call:NameError",
      "call:NameError",
      "call:NameError",
      "collect:NameError",
    ]);
  });

  it("adds a stdlib import in sorted position among the stdlib imports, below the docstring", async () => {
    const fix = await p.fix("test_slug.py::test_slugify_drops_stop_words_and_accents");
    expect(fix?.patternId).toBe("missing-import");
    await p.apply(fix!.proposal);
    expect(await p.read("textkit/slug.py")).toMatch(
      /^"""URL slugs for titles\."""\nimport re\nimport unicodedata\n\nfrom textkit\.words import STOP_WORDS\n/,
    );
  });

  it("imports a project class the way the project already does, spelled relatively like the file's other imports", async () => {
    const fix = await p.fix("test_report.py::test_receipt");
    expect(fix?.patternId).toBe("missing-import");
    expect(fix?.proposal.explanation).toContain("already imports Item");
    await p.apply(fix!.proposal);
    expect(await p.read("shop/report.py")).toMatch(/^from \.models import Item\nfrom \.pricing import total\n/);
  });

  it("finds a name exported by an installed package the project depends on (not the stdlib module of the same name)", async () => {
    const fix = await p.fix("test_queries.py::test_names_sorted");
    expect(fix?.patternId).toBe("missing-import");
    await p.apply(fix!.proposal);
    expect(await p.read("app/queries.py")).toMatch(
      /^from sqlalchemy import select\nfrom sqlalchemy\.orm import Session\n\nfrom app\.db import User\n/,
    );
  });

  it("adds `import pytest` to a test module that fails to collect, as a third-party group above the project imports", async () => {
    const fix = await p.fix("tests/test_inventory.py");
    expect(fix?.patternId).toBe("missing-import");
    expect(fix?.proposal.edits[0]?.file).toBe("tests/test_inventory.py");
    await p.apply(fix!.proposal);
    expect(await p.read("tests/test_inventory.py")).toMatch(/^import pytest\n\nfrom store\.inventory import Inventory\n/);
  });

  it("finds a NameError that a worker thread printed (the test itself only fails an assertion)", async () => {
    const { failure } = p.failure("test_worker.py::test_background_sum_of_roots");
    expect(failure.errorType).toBe("AssertionError");
    const fix = await p.fix("test_worker.py::test_background_sum_of_roots");
    expect(fix?.patternId).toBe("missing-import");
    await p.apply(fix!.proposal);
    expect(await p.read("jobs/worker.py")).toMatch(/^import math\nimport threading\nimport traceback\n/);
  });

  it("ends green under real pytest", async () => {
    const after = await p.rerun();
    expect(after.failures.map((f) => f.nodeId)).toEqual([]);
    expect(after.status).toBe("passed");
    expect(after.passed).toBe(p.before.passed + 6);
  });
});
