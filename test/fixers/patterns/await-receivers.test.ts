// missing-await resolves the receiver: `self.load()` on the class defining async load is awaited, a dict's `.get()` never is.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPatternProject, type PatternProject } from "../pattern-harness.js";

describe("missing-await resolves call receivers (fixture: patterns/await-receivers)", () => {
  let p: PatternProject;
  beforeAll(async () => {
    p = await openPatternProject("await-receivers");
  });
  afterAll(async () => p?.close());

  it("starts red: one coroutine misuse, one plain assertion failure", () => {
    expect(p.before.failures.map((f) => f.errorMessage.split("\n")[0]).sort()).toEqual([
      "'coroutine' object is not subscriptable",
      "assert {'a': 2} == {'a': 1}",
    ]);
  });

  it("awaits self.load() but not self.cache.get() on the same line, though the class also has an async get", async () => {
    const fix = await p.fix("test_profiles.py::test_profile_name");
    expect(fix?.patternId).toBe("missing-await");
    expect(fix?.proposal.edits).toEqual([
      {
        file: "profiles/service.py",
        find: '        return self.cache.get(key) or self.load(key)["name"]',
        replace: '        return self.cache.get(key) or (await self.load(key))["name"]',
        nearLine: 16,
      },
    ]);
    await p.apply(fix!.proposal);
  });

  it("declines `cache.get(key)` on the dict the test passes, though a project class has an async get", async () => {
    expect(await p.fix("test_profiles.py::test_hits_are_counted_on_a_plain_dict", { only: ["missing-await"] })).toBeNull();
  });

  it("the awaited call makes its test pass under real pytest; the other stays red and untouched", async () => {
    const after = await p.rerun();
    expect(after.passed).toBe(1);
    expect(after.failures.map((f) => f.nodeId)).toEqual(["tests/test_profiles.py::test_hits_are_counted_on_a_plain_dict"]);
    expect(await p.read("profiles/service.py")).toContain("    old = cache.get(key)\n");
  });
});
