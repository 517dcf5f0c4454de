// pytest's JUnit XML → counts, node ids and failures.
import { describe, expect, it } from "vitest";
import { FailureSchema, RedgreenError } from "../../src/domain/index.js";
import { junitNodeId, parseJUnitXml } from "../../src/parsers/junit-xml.js";

const xml =
  `<?xml version="1.0" encoding="utf-8"?><testsuites name="pytest tests"><testsuite name="pytest" errors="3" failures="2" ` +
  `skipped="2" tests="8">
<testcase classname="" name="tests.test_broken" file="tests/test_broken.py" time="0.000"><error message="collection ` +
  `failure">tests/test_broken.py:1: in &lt;module&gt;
    import nope
E   ModuleNotFoundError: No module named 'nope'</error></testcase>
<testcase classname="tests.test_shop" name="test_key" file="tests/test_shop.py" line="3" time="0.010"><failure message="KeyError: ` +
  `'banana'">def test_key():
&gt;       price_of({}, "banana")

tests/test_shop.py:5: 
_ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _

prices = {}, item = 'banana'

    def price_of(prices, item):
&gt;       return prices[item]
E       KeyError: 'banana'

shop.py:19: KeyError</failure><system-out>looking up banana&#10;</system-out></testcase>
<testcase classname="tests.test_shop" name="test_eq" file="tests/test_shop.py" line="7" time="0.001"><failure message="assert 5 == ` +
  `6">def test_eq():
&gt;       assert 5 == 6
E       assert 5 == 6

tests/test_shop.py:8: AssertionError</failure></testcase>
<testcase classname="tests.test_shop.TestCart" name="test_db[sqlite]" file="tests/test_shop.py" line="12" time="0.000"><error ` +
  `message="failed on setup with &quot;ConnectionError: down&quot;">@pytest.fixture
    def db():
&gt;       raise ConnectionError("down")
E       ConnectionError: down

conftest.py:4: ConnectionError</error></testcase>
<testcase classname="tests.test_shop" name="test_cleanup" file="tests/test_shop.py" line="20" time="0.000"><error message="failed on ` +
  `teardown with &quot;RuntimeError: leak&quot;">conftest.py:9: RuntimeError</error></testcase>
<testcase classname="tests.test_shop" name="test_skip" file="tests/test_shop.py" line="30" time="0.000"><skipped type="pytest.skip" ` +
  `message="later">tests/test_shop.py:31: later</skipped></testcase>
<testcase classname="tests.test_shop" name="test_xfail" file="tests/test_shop.py" line="33" time="0.000"><skipped type="pytest.xfail" ` +
  `message="bug" /></testcase>
<testcase classname="tests.test_shop" name="test_ok" file="tests/test_shop.py" line="40" time="0.002" />
</testsuite></testsuites>`;

describe("parseJUnitXml", () => {
  const r = parseJUnitXml(xml, { rootDir: "/project" });

  it("counts like pytest's summary (a passing call before a teardown error counts as passed)", () => {
    expect({ passed: r.passed, failed: r.failed, errors: r.errors, skipped: r.skipped, xfailed: r.xfailed, total: r.total }).toEqual({
      passed: 2,
      failed: 2,
      errors: 3,
      skipped: 1,
      xfailed: 1,
      total: 9,
    });
    expect(r.passedNodeIds).toEqual(["tests/test_shop.py::test_ok"]);
    expect(r.testDurations.get("tests/test_shop.py::test_key")).toBe(0.01);
  });

  it("rebuilds node ids, phases and error types", () => {
    const rows = r.failures.map(
      (f) => `${f.nodeId} | ${f.phase} | ${f.errorType} | ${String(f.lineNumber)} | ${f.faultFile}:${f.faultLine}`,
    );
    expect(rows).toEqual([
      "tests/test_broken.py | collect | ModuleNotFoundError | 1 | tests/test_broken.py:1",
      "tests/test_shop.py::test_key | call | KeyError | 5 | shop.py:19",
      "tests/test_shop.py::test_eq | call | AssertionError | 8 | tests/test_shop.py:8",
      "tests/test_shop.py::TestCart::test_db[sqlite] | setup | ConnectionError | null | conftest.py:4",
      "tests/test_shop.py::test_cleanup | teardown | RuntimeError | null | conftest.py:9",
    ]);
    for (const f of r.failures) expect(() => FailureSchema.parse(f)).not.toThrow();
    const key = r.failures[1]!;
    expect(key.errorMessage).toBe("'banana'");
    expect(key.capturedOutput).toBe("looking up banana\n");
    expect(key.frames.map((f) => `${f.file}:${f.line}:${f.kind}`)).toEqual(["tests/test_shop.py:5:test", "shop.py:19:project"]);
    expect(r.failures[3]!.errorMessage).toBe("down");
  });

  it("rebuilds node ids from xunit1 and xunit2 attributes", () => {
    expect(junitNodeId("tests.test_a", "test_x", "tests/test_a.py")).toBe("tests/test_a.py::test_x");
    expect(junitNodeId("tests.test_a.TestC.TestInner", "test_x[1-2]", "tests/test_a.py")).toBe(
      "tests/test_a.py::TestC::TestInner::test_x[1-2]",
    );
    expect(junitNodeId("", "tests.test_a", "tests/test_a.py")).toBe("tests/test_a.py");
    expect(junitNodeId("tests.test_a.TestC", "test_x", "")).toBe("tests/test_a.py::TestC::test_x");
    expect(junitNodeId("test_a", "test_x", "")).toBe("test_a.py::test_x");
    expect(junitNodeId("", "pkg.test_b", "")).toBe("pkg/test_b.py");
  });

  it("throws parse_failed for broken or foreign XML", () => {
    for (const bad of ["<testsuites><testsuite name='pytest'><testcase classname='x' name=", "<html><body/></html>", ""]) {
      let err: unknown;
      try {
        parseJUnitXml(bad);
      } catch (e) {
        err = e;
      }
      expect(err, bad).toBeInstanceOf(RedgreenError);
      expect((err as RedgreenError).code).toBe("parse_failed");
    }
  });
});
