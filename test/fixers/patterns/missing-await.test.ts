// missing-await on a real project: a coroutine assigned and iterated, and one returned un-awaited to the test.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPatternProject, type PatternProject } from "../pattern-harness.js";

describe("missing-await pattern (fixture: patterns/await)", () => {
  let p: PatternProject;
  beforeAll(async () => {
    p = await openPatternProject("await");
  });
  afterAll(async () => p?.close());

  it("starts red with coroutine misuse", () => {
    expect(p.before.failures.map((f) => f.errorMessage.split("\n")[0]).sort()).toEqual([
      "'coroutine' object has no attribute 'name'",
      "'coroutine' object is not iterable",
      "assert [] == ['checkout 3']",
    ]);
  });

  it("awaits the call whose result the failing line iterates", async () => {
    const fix = await p.fix("test_orders.py::test_order_total");
    expect(fix?.patternId).toBe("missing-await");
    expect(fix?.proposal.edits).toEqual([
      {
        file: "shop/service.py",
        find: "    items = repo.fetch_items(order_id)",
        replace: "    items = await repo.fetch_items(order_id)",
        nearLine: 2,
      },
    ]);
    await p.apply(fix!.proposal);
  });

  it("finds a coroutine returned un-awaited by walking the calls from the test (no project frame in the traceback)", async () => {
    const { failure } = p.failure("test_users.py::test_user_name");
    expect(failure.frames.some((f) => f.file === "users/service.py")).toBe(false);
    const fix = await p.fix("test_users.py::test_user_name");
    expect(fix?.patternId).toBe("missing-await");
    expect(fix?.proposal.edits[0]).toMatchObject({ file: "users/service.py", replace: "        return await self.repo.load(user_id)" });
    await p.apply(fix!.proposal);
  });

  it("finds a fire-and-forget coroutine behind a plain assertion failure (no coroutine in the report)", async () => {
    const { failure } = p.failure("test_audit.py::test_checkout_is_audited");
    expect(failure.errorMessage).not.toMatch(/coroutine/);
    const fix = await p.fix("test_audit.py::test_checkout_is_audited");
    expect(fix?.patternId).toBe("missing-await");
    expect(fix?.proposal.edits).toEqual([
      {
        file: "shop/audit.py",
        find: '    log.record(f"checkout {order_id}")',
        replace: '    await log.record(f"checkout {order_id}")',
        nearLine: 14,
      },
    ]);
    await p.apply(fix!.proposal);
  });

  it("ends green under real pytest", async () => {
    const after = await p.rerun();
    expect(after.status).toBe("passed");
    expect(after.passed).toBe(3);
  });
});
