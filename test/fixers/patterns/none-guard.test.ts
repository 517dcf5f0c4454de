// none-guard on a real project: a multi-line expression statement gets an if-block, a return a conditional expression.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPatternProject, type PatternProject } from "../pattern-harness.js";

describe("none-guard pattern (fixture: patterns/none-guard)", () => {
  let p: PatternProject;
  beforeAll(async () => {
    p = await openPatternProject("none-guard");
  });
  afterAll(async () => p?.close());

  it("wraps the failing statement (all its lines) in `if user is not None:` and keeps the return after it", async () => {
    const fix = await p.fix("test_crm.py::test_notify_without_user");
    expect(fix?.patternId).toBe("none-guard");
    await p.apply(fix!.proposal);
    expect(await p.read("crm/notify.py")).toContain(
      '    if user is not None:\n        outbox.append(\n            "welcome " + user.email\n        )\n    return len(outbox)\n',
    );
  });

  it("keeps a return statement returning: a conditional expression instead of an if that would fall through", async () => {
    const fix = await p.fix("test_crm.py::test_display_name_of_nobody");
    expect(fix?.patternId).toBe("none-guard");
    await p.apply(fix!.proposal);
    expect(await p.read("crm/names.py")).toBe("def display_name(user):\n    return user.name.title() if user is not None else None\n");
  });

  it("ends green under real pytest, the tests with real users included", async () => {
    const after = await p.rerun();
    expect(after.status).toBe("passed");
    expect(after.passed).toBe(4);
  });
});
