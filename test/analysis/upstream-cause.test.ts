// upstreamCauseKey on a real pytest run: tests failing on one None from one project function form one group per error shape.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { groupFailures } from "../../src/analysis/group.js";
import { applyEdits } from "../../src/fixers/apply.js";
import { openPatternProject, type PatternProject } from "../fixers/pattern-harness.js";

describe("groups by the project function a None came from (fixture: patterns/none-upstream)", () => {
  let p: PatternProject;
  beforeAll(async () => {
    p = await openPatternProject("none-upstream");
  });
  afterAll(async () => p?.close());

  it("three tests subscripting find_user()'s None on their own lines are one group; `.get` on it is another shape", () => {
    const items = p.before.failures.map((f) => ({ nodeId: f.nodeId, ...p.failure(f.nodeId).analysis }));
    expect(groupFailures(items).map((g) => [g.groupKey, g.members.map((m) => m.nodeId.split("::")[1]).sort()])).toEqual([
      ["none:find_user():TypeError: 'NoneType' object is not subscriptable", ["test_email", "test_key", "test_name"]],
      ["none:find_user():AttributeError: 'NoneType' object has no attribute 'get'", ["test_email_domain"]],
    ]);
  });

  it("the one cause: returning the user from find_user turns every member green under real pytest", async () => {
    const find = "        user = dict(user, key=key)";
    const edit = { file: "crm/directory.py", find, replace: `${find}\n    return user`, nearLine: 7 };
    await applyEdits(p.dir, [edit]);
    const after = await p.rerun();
    expect(after.status).toBe("passed");
    expect(after.passed).toBe(5);
  });
});
