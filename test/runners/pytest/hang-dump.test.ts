// faulthandler dumps → the hung test's frames and phase.
import { describe, expect, it } from "vitest";
import { hangPhase, parseFaulthandlerThreads, parseHangDump } from "../../../src/runners/pytest/hang-dump.js";

const site = "/p/.venv/lib/python3.11/site-packages";
const dump = [
  "Timeout (0:00:02)!",
  "Thread 0x00007efc2afff6c0 (most recent call first):",
  `  File "${site}/execnet/gateway_base.py", line 534 in read`,
  "",
  "Thread 0x00007f4d0dc45b80 (most recent call first):",
  '  File "/p/app/slow.py", line 7 in crunch',
  '  File "/p/tests/test_slow.py", line 3 in test_slow',
  `  File "${site}/_pytest/python.py", line 157 in pytest_pyfunc_call`,
  `  File "${site}/pluggy/_callers.py", line 103 in _multicall`,
  `  File "${site}/_pytest/runner.py", line 178 in pytest_runtest_call`,
  `  File "${site}/_pytest/runner.py", line 245 in call_and_report`,
  `  File "${site}/_pytest/runner.py", line 117 in pytest_runtest_protocol`,
  `  File "${site}/_pytest/main.py", line 367 in pytest_runtestloop`,
  `  File "${site}/pytest/__main__.py", line 9 in <module>`,
  '  File "<frozen runpy>", line 88 in _run_code',
].join("\n");

describe("faulthandler dumps", () => {
  it("splits threads, outermost frame first", () => {
    const threads = parseFaulthandlerThreads(dump);
    expect(threads).toHaveLength(2);
    expect(threads[1]![0]).toEqual({ file: "<frozen runpy>", line: 88, function: "_run_code" });
  });

  it("keeps the test thread's own frames, classified and with source lines", () => {
    const frames = parseHangDump(dump, "/p", (file, line) => (file === "/p/app/slow.py" && line === 7 ? "while True: pass" : undefined));
    expect(frames).toEqual([
      { file: "tests/test_slow.py", line: 3, function: "test_slow", kind: "test" },
      { file: "app/slow.py", line: 7, function: "crunch", kind: "project", code: "while True: pass" },
    ]);
  });

  it("leaves out the frames of redgreen's plugin modules", () => {
    const plugin = "/r/node_modules/redgreen/src/runners/pytest";
    const pluginFrames = [
      `  File "${plugin}/redgreen_timer.py", line 40 in _on_alarm`,
      `  File "${plugin}/redgreen_pytest_plugin.py", line 9 in f`,
    ];
    const withPlugin = dump.replace('  File "/p/app/slow.py"', [...pluginFrames, '  File "/p/app/slow.py"'].join("\n"));
    expect(parseHangDump(withPlugin, "/p").map((f) => f.file)).toEqual(["tests/test_slow.py", "app/slow.py"]);
    expect(parseHangDump(dump.replace("/p/app/slow.py", "/p/app/redgreen_slow.py"), "/p").map((f) => f.file)).toContain(
      "app/redgreen_slow.py",
    );
  });

  it("reads the phase from pytest's runner frames", () => {
    expect(hangPhase(dump)).toBe("call");
    expect(hangPhase(dump.replace("pytest_runtest_call", "pytest_runtest_teardown"))).toBe("teardown");
    expect(hangPhase('Thread 0x1 (most recent call first):\n  File "x.py", line 1 in f\n')).toBeNull();
  });
});
