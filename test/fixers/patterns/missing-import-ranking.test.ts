// missing-import ranking on a real project: several names from one deleted import, and the wrong-module traps
// (an undeclared transitive package, asyncio.Queue vs queue.Queue, the function random.random vs the module random).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPatternProject, type PatternProject } from "../pattern-harness.js";

describe("missing-import ranking (fixture: patterns/import-ranking)", () => {
  let p: PatternProject;
  beforeAll(async () => {
    p = await openPatternProject("import-ranking");
  });
  afterAll(async () => p?.close());

  it("starts red: five NameErrors, one per module that lost an import", () => {
    expect(p.before.status).toBe("failed");
    expect(p.before.failures.map((f) => f.errorType).sort()).toEqual(Array(5).fill("NameError"));
  });

  it("restores all three names of a deleted `from shelf.money import ...` in one fix, from the defining module", async () => {
    const fix = await p.fix("test_report.py::test_receipt");
    expect(fix?.patternId).toBe("missing-import");
    expect(fix?.proposal.edits).toHaveLength(1);
    // Money alone is imported through the package elsewhere; shelf.money is the one module providing all three.
    expect(fix?.proposal.explanation).toContain("with Money, format_cents");
    await p.apply(fix!.proposal);
    expect(await p.read("shelf/report.py")).toContain(
      "from shelf.ledger import total\nfrom shelf.money import Money, format_cents, parse_cents\n",
    );
  });

  it("takes OrderedDict from collections, not from typing_extensions (installed only because SQLAlchemy needs it)", async () => {
    const fix = await p.fix("test_lru.py::test_evicts_least_recently_used");
    expect(fix?.patternId).toBe("missing-import");
    await p.apply(fix!.proposal);
    const source = await p.read("shelf/lru.py");
    expect(source).toContain('"""\nfrom collections import OrderedDict\n\nfrom typing_extensions import Self\n');
    expect(source).not.toMatch(/typing_extensions import .*OrderedDict/);
  });

  it("takes queue.Queue for a queue a worker thread drains with get(timeout=...), not asyncio.Queue", async () => {
    const fix = await p.fix("test_jobs.py::test_worker_runs_jobs_in_order");
    expect(fix?.patternId).toBe("missing-import");
    await p.apply(fix!.proposal);
    expect(await p.read("shelf/jobs.py")).toContain("\nfrom queue import Queue\nimport threading\n");
  });

  it("takes asyncio.Queue where the queue's get and put are awaited", async () => {
    const fix = await p.fix("test_pipeline.py::test_doubles_every_item");
    expect(fix?.patternId).toBe("missing-import");
    await p.apply(fix!.proposal);
    expect(await p.read("shelf/pipeline.py")).toContain('"""\n\nfrom asyncio import Queue\n');
  });

  it("imports the module random for random.Random(...), although the project imports the function random elsewhere", async () => {
    const fix = await p.fix("test_dice.py::test_seeded_rolls_repeat");
    expect(fix?.patternId).toBe("missing-import");
    await p.apply(fix!.proposal);
    const source = await p.read("shelf/dice.py");
    expect(source).toContain('"""\n\nimport random\n');
    expect(source).not.toContain("from ");
  });

  it("ends green under real pytest", async () => {
    const after = await p.rerun();
    expect(after.failures.map((f) => f.nodeId)).toEqual([]);
    expect(after.status).toBe("passed");
    expect(after.passed).toBe(p.before.passed + 5);
  });
});
