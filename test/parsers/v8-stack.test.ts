// The V8 stack parser: frame line shapes, error headers, classification and ordering.
import { describe, expect, it } from "vitest";
import { failureLocation } from "../../src/parsers/failure-location.js";
import { errorTypeAndMessage, parseJsError, parseV8FrameLine, parseV8Stack, type JsFrameContext } from "../../src/parsers/v8-stack.js";

const ctx: JsFrameContext = {
  projectRoots: ["/project"],
  isTestFile: (rel) => /\.test\.ts$/.test(rel),
  sourceLine: (abs, line) => (abs === "/project/src/a.ts" && line === 3 ? "return x.y;" : undefined),
};

describe("parseV8FrameLine", () => {
  it.each([
    ["    at roundCents (/project/src/format.ts:8:12)", { file: "/project/src/format.ts", line: 8, column: 12, function: "roundCents" }],
    ["    at /project/tests/a.test.ts:7:56", { file: "/project/tests/a.test.ts", line: 7, column: 56, function: "<anonymous>" }],
    ["    at async Promise.all (index 0)", null],
    [
      "    at async run (file:///project/src/my%20dir/run.ts:4:2)",
      { file: "/project/src/my dir/run.ts", line: 4, column: 2, function: "run" },
    ],
    ["    at async file:///project/src/b.mjs:1:9", { file: "/project/src/b.mjs", line: 1, column: 9, function: "<anonymous>" }],
    ["    at new Cart (/project/src/cart.ts:10:5)", { file: "/project/src/cart.ts", line: 10, column: 5, function: "Cart" }],
    [
      "    at Object.<anonymous> (/project/tests/a.test.ts:3:1)",
      { file: "/project/tests/a.test.ts", line: 3, column: 1, function: "Object.<anonymous>" },
    ],
    [
      "    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)",
      { file: "node:internal/process/task_queues", line: 95, column: 5, function: "process.processTicksAndRejections" },
    ],
    ["    at new Promise (<anonymous>)", null],
    [
      "    at eval (eval at run (/project/src/e.ts:2:3), <anonymous>:1:1)",
      { file: "/project/src/e.ts", line: 2, column: 3, function: "eval" },
    ],
    ["expected 5 to be 4", null],
  ])("%s", (line, expected) => {
    expect(parseV8FrameLine(line)).toEqual(expected);
  });

  it("keeps the printed order (innermost first)", () => {
    const frames = parseV8Stack("Error: x\n    at inner (/p/a.js:1:1)\n    at outer (/p/b.js:2:2)");
    expect(frames.map((f) => f.function)).toEqual(["inner", "outer"]);
  });
});

describe("errorTypeAndMessage", () => {
  it.each([
    ["TypeError: x is not a function", "TypeError", "x is not a function"],
    ["OutOfStockError: ink is out of stock", "OutOfStockError", "ink is out of stock"],
    ["Error: expect(received).toBe(expected)\n\nExpected: 4", "AssertionError", "expect(received).toBe(expected)\n\nExpected: 4"],
    ["expect(received).toEqual(expected)", "AssertionError", "expect(received).toEqual(expected)"],
    ["Error: Test timed out in 1000ms.", "Timeout", "Test timed out in 1000ms."],
    ['thrown: "Exceeded timeout of 5000 ms for a test.', "Timeout", 'thrown: "Exceeded timeout of 5000 ms for a test.'],
    ["Cannot find module '../src/x' from 'tests/a.test.ts'", "Error", "Cannot find module '../src/x' from 'tests/a.test.ts'"],
  ])("%s", (header, type, message) => {
    expect(errorTypeAndMessage(header)).toEqual({ errorType: type, errorMessage: message });
  });
});

describe("parseJsError", () => {
  it("reverses frames, classifies them and points at the innermost test frame", () => {
    const e = parseJsError(
      [
        "TypeError: Cannot read properties of undefined (reading 'y')",
        "    at get (/project/src/a.ts:3:12)",
        "    at /project/tests/a.test.ts:9:5",
        "    at file:///opt/app/node_modules/@vitest/runner/dist/index.js:1:1",
        "    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)",
        "    at helper (/elsewhere/lib.js:4:4)",
      ].join("\n"),
      ctx,
    );
    expect(e.errorType).toBe("TypeError");
    expect(e.errorMessage).toBe("Cannot read properties of undefined (reading 'y')");
    expect(e.frames.map((f) => [f.kind, f.file, f.line])).toEqual([
      ["library", "/elsewhere/lib.js", 4],
      ["stdlib", "node:internal/process/task_queues", 95],
      ["library", "/opt/app/node_modules/@vitest/runner/dist/index.js", 1],
      ["test", "tests/a.test.ts", 9],
      ["project", "src/a.ts", 3],
    ]);
    expect(e.frames.map((f) => f.column)).toEqual([4, 5, 1, 5, 12]);
    expect(e.frames[4]!.code).toBe("return x.y;");
    expect(failureLocation(e.frames, "tests/a.test.ts")).toEqual({ lineNumber: 9, faultFile: "src/a.ts", faultLine: 3 });
  });

  it("treats node_modules inside the project as library and resolves relative paths against the root", () => {
    const e = parseJsError("Error: x\n    at f (node_modules/lib/index.js:1:1)\n    at Object.<anonymous> (tests/a.test.ts:2:1)", ctx);
    expect(e.frames.map((f) => [f.kind, f.file])).toEqual([
      ["test", "tests/a.test.ts"],
      ["library", "node_modules/lib/index.js"],
    ]);
  });

  it("takes frames from a [cause] when the main stack has none in the project", () => {
    const e = parseJsError(
      'Error: thrown: "Exceeded timeout of 1000 ms for a test.\n    at _getError ' +
        "(/opt/app/node_modules/jest-circus/build/a.js:1:1)\n\n[cause]: Error: thrown\n    at Object.<anonymous> " +
        "(/project/tests/a.test.ts:4:3)",
      ctx,
    );
    expect(e.errorType).toBe("Timeout");
    expect(e.frames.map((f) => `${f.file}:${f.line}`)).toEqual(["tests/a.test.ts:4"]);
    expect(failureLocation(e.frames, "tests/a.test.ts")).toEqual({ lineNumber: 4, faultFile: "tests/a.test.ts", faultLine: 4 });
  });

  it("has no line without frames", () => {
    const e = parseJsError("Cannot find module 'x'", ctx);
    expect(e).toMatchObject({ errorType: "Error", frames: [], stackTrace: "Cannot find module 'x'" });
    expect(failureLocation(e.frames, "tests/a.test.ts")).toEqual({ lineNumber: null, faultFile: null, faultLine: null });
  });
});
