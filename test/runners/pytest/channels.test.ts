// pytest's second channel: the summary line parsed as pytest prints it, and what counts as disagreement.
import { describe, expect, it } from "vitest";
import { parsePytestJsonl } from "../../../src/parsers/pytest-jsonl.js";
import type { ProcessResult } from "../../../src/process/run.js";
import { matchesPythonFiles, parsePytestSummary, pytestChannelCheck } from "../../../src/runners/pytest/channels.js";

const proc = (stdout: string, exitCode: number): ProcessResult => ({
  command: ["python"],
  exitCode,
  signal: null,
  timedOut: false,
  aborted: false,
  stdout,
  stderr: "",
  truncated: false,
  durationMs: 1,
  parentKilled: false,
});

const stream = (events: object[]): ReturnType<typeof parsePytestJsonl> => parsePytestJsonl(events.map((e) => JSON.stringify(e)).join("\n"));
const start = { event: "start", pluginVersion: 1, pytest: "8", python: "3.11", rootdir: "/p", pid: 1, testTimeout: 10, xdist: false };
const pass = (nodeid: string) => ({ event: "test", nodeid, outcome: "passed", duration: 0.01 });
const finish = (exitstatus: number) => ({ event: "finish", exitstatus, duration: 0.1 });

describe("parsePytestSummary", () => {
  it.each([
    ["2 failed, 6 passed in 0.05s", { passed: 6, failed: 2, errors: 0 }],
    ["=== 1 failed, 1414 passed, 11 skipped, 1 xfailed, 1 warning in 119.68s (0:01:59) ===", { passed: 1414, failed: 1, errors: 0 }],
    ["3 passed, 2 errors in 1.00s", { passed: 3, failed: 0, errors: 2 }],
    ["1 error in 0.10s", { passed: 0, failed: 0, errors: 1 }],
    ["no tests ran in 0.01s", { passed: 0, failed: 0, errors: 0 }],
    ["4 passed, 3 subtests passed in 0.20s", { passed: 4, failed: 0, errors: 0 }],
  ])("%s", (line, counts) => {
    expect(parsePytestSummary(`..F.\n${line}\n`)).toEqual(counts);
  });

  it("takes the last summary line and none when pytest printed none", () => {
    expect(parsePytestSummary("1 passed in 0.1s\nlater\n2 passed in 0.2s\n")).toEqual({ passed: 2, failed: 0, errors: 0 });
    expect(parsePytestSummary("....\n")).toBeNull();
  });
});

describe("pytestChannelCheck", () => {
  const twoPassed = stream([start, pass("t.py::a"), pass("t.py::b"), finish(0)]);

  it("agrees when pytest's exit status and summary tell the stream's story", () => {
    expect(pytestChannelCheck(twoPassed, proc("..\n2 passed in 0.01s\n", 0), 1)).toEqual([]);
  });

  it("disagrees when the summary line is missing (the process left before pytest could print it)", () => {
    const [a] = pytestChannelCheck(twoPassed, proc("", 0), 1);
    expect(a).toMatchObject({ kind: "channels_disagree", nodeId: null });
    expect(a!.detail).toContain("no summary line");
  });

  it("disagrees on counts and on the exit status", () => {
    expect(pytestChannelCheck(twoPassed, proc("1 failed, 1 passed in 0.01s\n", 0), 1)[0]!.detail).toContain(
      "pytest's summary says 1 passed, 1 failed, 0 errors but the result stream says 2 passed, 0 failed, 0 errors",
    );
    expect(pytestChannelCheck(twoPassed, proc("2 passed in 0.01s\n", 1), 1)[0]!.detail).toContain("pytest exited with 1");
  });

  it("is not asked when the session did not finish in one process (a crash, a resumed run)", () => {
    expect(pytestChannelCheck(stream([start, pass("t.py::a")]), proc("", 0), 1)).toEqual([]);
    expect(pytestChannelCheck(twoPassed, proc("", 0), 2)).toEqual([]);
  });

  it("counts a pass the integrity watch refused as pytest counted it: passed", () => {
    const watched = stream([
      start,
      { event: "anomaly", kind: "runner_patched", nodeid: "t.py::a", detail: "runtest replaced" },
      pass("t.py::a"),
      pass("t.py::b"),
      finish(0),
    ]);
    expect(watched.failed).toBe(1);
    expect(watched.passedNodeIds).toEqual(["t.py::b"]);
    expect(watched.failures[0]).toMatchObject({ nodeId: "t.py::a", errorType: "UntrustedPass", errorMessage: "runtest replaced" });
    expect(pytestChannelCheck(watched, proc("2 passed in 0.01s\n", 0), 1)).toEqual([]);
  });
});

describe("matchesPythonFiles", () => {
  it("matches base names like pytest, and nothing without patterns", () => {
    expect(matchesPythonFiles("checks/check_price.py", ["test_*.py", "check_*.py"])).toBe(true);
    expect(matchesPythonFiles("app/tests.py", ["tests.py"])).toBe(true);
    expect(matchesPythonFiles("app/models.py", ["test_*.py"])).toBe(false);
    expect(matchesPythonFiles("checks/check_price.py", null)).toBe(false);
  });
});
