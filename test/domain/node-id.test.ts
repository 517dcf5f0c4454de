// stableNodeId: the same test gets the same id in every run, whatever seed, uuid, timestamp, tmp path or duration its
// name carries; words, whole numbers and dates that name a test are kept.
import { describe, expect, it } from "vitest";
import { holdersOf, liesWithin, sameTest, scopesHolding, stableNodeId } from "../../src/domain/node-id.js";
import { exactNamePattern } from "../../src/runners/js/name-filter.js";

describe("stableNodeId", () => {
  it.each([
    ["a.test.ts::sorts (with seed=-912345)", "a.test.ts::sorts (with seed=<seed>)"],
    ["a.test.ts::x > seed: 7 holds", "a.test.ts::x > seed: <seed> holds"],
    ["t.py::test_u[3f2b1c9e-1234-4abc-8def-0123456789ab]", "t.py::test_u[<uuid>]"],
    ["t.py::test_at[2026-12-03T09:46:21.123Z]", "t.py::test_at[<time>]"],
    ["t.py::test_epoch[1764755181123]", "t.py::test_epoch[<time>]"],
    ["t.py::test_in[/tmp/pytest-of-root/pytest-3/test_in0]", "t.py::test_in[<tmp>]"],
    ["t.py::test_blob[deadbeef12]", "t.py::test_blob[<hex>]"],
    ["a.test.ts::took 12.5ms", "a.test.ts::took <duration>"],
  ])("%s → %s", (id, stable) => {
    expect(stableNodeId(id)).toBe(stable);
  });

  it("keeps what names a test: words, whole numbers, dates, short hex words, the file part", () => {
    const kept = [
      "t.py::test_waits[5s]",
      "t.py::test_date[2024-01-01]",
      "t.py::test_case[42]",
      "t.py::test_cafe",
      "tests/0123abcdef99/t.py",
      "t.py",
    ];
    for (const id of kept) expect(stableNodeId(id)).toBe(id);
    expect(sameTest("a.ts::p (with seed=1)", "a.ts::p (with seed=-2)")).toBe(true);
    expect(sameTest("a.ts::p (with seed=1)", "a.ts::q (with seed=1)")).toBe(false);
  });
});

describe("exactNamePattern", () => {
  it("matches a volatile part whatever value it has in the next run, and nothing else", () => {
    const re = new RegExp(exactNamePattern(["money > total (with seed=12)", "at 2026-12-03T09:46:21Z"]));
    expect(re.test("money total (with seed=-998877)")).toBe(true);
    expect(re.test("money > total (with seed=5)")).toBe(true);
    expect(re.test("at 2027-01-01T00:00:00Z")).toBe(true);
    expect(re.test("money total (with seed=x)")).toBe(false);
    expect(re.test("money total (with seed=5) extra")).toBe(false);
  });
});

describe("liesWithin and holdersOf", () => {
  it("holds a test in its class, its file and its directory; a sibling whose name only starts alike is outside", () => {
    expect(liesWithin("tests/test_a.py", "tests/test_a.py::C::t")).toBe(true);
    expect(liesWithin("tests/test_a.py::C", "tests/test_a.py::C::t")).toBe(true);
    expect(liesWithin("tests", "tests/test_a.py::t")).toBe(true);
    expect(liesWithin(".", "anything.py::t")).toBe(true);
    expect(liesWithin("tests/test_a.py::C", "tests/test_a.py::Cx::t")).toBe(false);
    expect(liesWithin("tests/test_a.py", "tests/test_a.pyx::t")).toBe(false);
    // A "/" inside a test's name is not a directory: "suite/other" is a test of its own, not inside "suite".
    expect(liesWithin("a.test.ts::suite", "a.test.ts::suite/other")).toBe(false);
  });

  it("lists a node id's holders innermost first", () => {
    expect(holdersOf("f.py::C::t")).toEqual(["f.py::C::t", "f.py::C", "f.py"]);
    expect(holdersOf("f.py")).toEqual(["f.py"]);
  });
});

describe("scopesHolding", () => {
  it("holds exactly the scopes liesWithin places some id in (every pair of a generated set of ids and scopes)", () => {
    const files = ["a.py", "tests/a.py", "tests/sub/b.test.ts", "tests/ab.py", "/abs/c.py", "x/"];
    const names = ["", "::t", "::C", "::C::t", "::Cx::t", "::suite > works", "::suite/other", "::suite > a/b"];
    const ids = files.flatMap((f) => names.map((n) => f + n));
    const scopes = [".", "", "tests", "tests/sub", "tests/a", "x", "/abs", "a", ...ids];
    for (let k = 0; k < ids.length; k += 5) {
      const some = ids.slice(k, k + 7);
      const held = scopesHolding(some);
      for (const scope of scopes) expect(held.has(scope), `${scope} in ${some.join(", ")}`).toBe(some.some((id) => liesWithin(scope, id)));
    }
    expect(scopesHolding([]).has(".")).toBe(false);
  });
});
