// The jest/vitest JSON report parser on captured real reports of the failing and hanging fixtures.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { RedgreenError } from "../../src/domain/index.js";
import { errorTextFromJestBlock, parseJestJson } from "../../src/parsers/jest-json.js";
import type { JsFrameContext } from "../../src/parsers/v8-stack.js";
import { fixturePath } from "../helpers/python-env.js";

const captured = (runner: string, name: string): string => readFileSync(fixturePath(runner, "captured", name), "utf8");

/** Frames of the captured reports live in /project: source lines come from the fixture project. */
const ctxFor = (runner: string, fixture: string): JsFrameContext => ({
  projectRoots: ["/project"],
  isTestFile: (rel) => rel.includes(".test."),
  sourceLine(abs, line) {
    try {
      const lines = readFileSync(fixturePath(runner, fixture, abs.slice("/project/".length)), "utf8").split("\n");
      return lines[line - 1]?.trim();
    } catch {
      return undefined;
    }
  },
});

const summary = (runner: string): string[] =>
  parseJestJson(captured(runner, "failing-report.json"), ctxFor(runner, "failing")).failures.map(
    (f) =>
      `${f.nodeId} | ${f.phase} | ${f.errorType} | ${f.lineNumber} | ${f.frames
        .filter((fr) => fr.kind === "project")
        .map((fr) => `${fr.file}:${fr.line}`)
        .join(",")}`,
  );

describe("parseJestJson", () => {
  it.each(["vitest", "jest"])("%s: counts, node ids and passing tests", (runner) => {
    const parts = parseJestJson(captured(runner, "failing-report.json"), ctxFor(runner, "failing"));
    expect({ passed: parts.passed, failed: parts.failed, errors: parts.errors, skipped: parts.skipped, total: parts.total }).toEqual({
      passed: 1,
      failed: 6,
      errors: 1,
      skipped: 0,
      total: 8,
    });
    expect(parts.passedNodeIds).toEqual(["tests/cart.test.ts::cart > inventory > reserve > reserves an item in stock"]);
    expect(parts.testDurations.size).toBe(7);
  });

  it("vitest: failures with types, lines and the project frames", () => {
    expect(summary("vitest").sort()).toEqual([
      "tests/broken.test.ts | collect | Error | null | ",
      "tests/cart.test.ts::cart > adds up the total | call | AssertionError | 7 | ",
      "tests/cart.test.ts::cart > formats a receipt line | call | TypeError | 12 | src/cart.ts:15,src/format.ts:3,src/format.ts:8",
      "tests/cart.test.ts::cart > inventory > reserve > refuses an item out of stock | call | OutOfStockError | 22 | src/inventory.ts:13",
      "tests/cart.test.ts::mistakes in tests > reads a property of undefined | call | TypeError | 36 | ",
      "tests/cart.test.ts::mistakes in tests > uses an undefined name | call | ReferenceError | 31 | ",
      // The parser leaves phases to the adapter, which reads the test file.
      "tests/cart.test.ts::with a broken setup > never runs its body | call | Error | 45 | ",
    ]);
  });

  it("jest: failures with types, lines and the project frames, the load error from the formatted message", () => {
    expect(summary("jest").sort()).toEqual([
      "tests/broken.test.ts | collect | Error | 2 | ",
      "tests/cart.test.ts::cart > adds up the total | call | AssertionError | 7 | ",
      "tests/cart.test.ts::cart > formats a receipt line | call | TypeError | 12 | src/cart.ts:15,src/format.ts:3,src/format.ts:8",
      "tests/cart.test.ts::cart > inventory > reserve > refuses an item out of stock | call | OutOfStockError | 22 | src/inventory.ts:13",
      "tests/cart.test.ts::mistakes in tests > reads a property of undefined | call | TypeError | 36 | ",
      "tests/cart.test.ts::mistakes in tests > uses an undefined name | call | ReferenceError | 31 | ",
      "tests/cart.test.ts::with a broken setup > never runs its body | call | Error | 45 | ",
    ]);
  });

  it("keeps expected and actual in the assertion message and shows source lines", () => {
    const v = parseJestJson(captured("vitest", "failing-report.json"), ctxFor("vitest", "failing")).failures.find(
      (f) => f.testName === "cart > adds up the total",
    )!;
    expect(v.errorMessage).toBe("expected 5 to be 4 // Object.is equality");
    expect(v.frames.at(-1)).toMatchObject({
      file: "tests/cart.test.ts",
      line: 7,
      kind: "test",
      code: 'expect(total([{ name: "pen", price: 2, qty: 2 }])).toBe(4);',
    });
    expect(v.frames.at(-1)!.column).toBe(56);
    const j = parseJestJson(captured("jest", "failing-report.json"), ctxFor("jest", "failing")).failures.find(
      (f) => f.testName === "cart > adds up the total",
    )!;
    expect(j.errorMessage).toBe("expect(received).toBe(expected) // Object.is equality\n\nExpected: 4\nReceived: 5");
  });

  it.each(["vitest", "jest"])("%s: a per-test timeout is a Timeout pointing at the test", (runner) => {
    const parts = parseJestJson(captured(runner, "hanging-report.json"), ctxFor(runner, "hanging"));
    expect(parts.passedNodeIds).toEqual(["tests/hang.test.ts::runs after the hang"]);
    const [hang] = parts.failures;
    expect(hang).toMatchObject({ nodeId: "tests/hang.test.ts::waits forever", lineNumber: 4 });
    expect(hang!.frames.some((f) => f.kind === "test" && f.line === 4)).toBe(true);
    // vitest's JSON keeps only the timeout's placeholder stack; the adapter takes the message from its reporter.
    expect(hang!.errorType).toBe(runner === "jest" ? "Timeout" : "Error");
  });

  it("uses the live reporter's texts when given, and drops results outside the selection", () => {
    const parts = parseJestJson(captured("vitest", "hanging-report.json"), {
      ...ctxFor("vitest", "hanging"),
      errorTexts: (file, titles) =>
        titles?.[0] === "waits forever" ? ["Error: Test timed out in 1000ms.\n    at /project/tests/hang.test.ts:4:1"] : undefined,
    });
    expect(parts.failures[0]).toMatchObject({ errorType: "Timeout", errorMessage: "Test timed out in 1000ms.", lineNumber: 4 });
    const only = parseJestJson(captured("vitest", "hanging-report.json"), {
      ...ctxFor("vitest", "hanging"),
      keep: (_rel, titles) => titles === null || titles[0] === "runs after the hang",
    });
    expect({ passed: only.passed, failed: only.failed, total: only.total }).toEqual({ passed: 1, failed: 0, total: 1 });
  });

  it("throws parse_failed on something that is not a report", () => {
    for (const bad of ["{", '{"testResults": 3}']) {
      const err = (() => {
        try {
          parseJestJson(bad, ctxFor("jest", "failing"));
        } catch (e) {
          return e;
        }
      })();
      expect(err).toBeInstanceOf(RedgreenError);
      expect((err as RedgreenError).code).toBe("parse_failed");
    }
  });
});

describe("errorTextFromJestBlock", () => {
  it("keeps the header and the at lines of the suite failure, without the code frame", () => {
    const text = errorTextFromJestBlock(
      "  ● Test suite failed to run\n\n    Cannot find module 'x' from 'a.test.ts'\n\n    > 2 | import x from 'x';\n        | " +
        "^\n\n      at Object.require (tests/a.test.ts:2:1)\n",
    );
    expect(text).toBe("Cannot find module 'x' from 'a.test.ts'\n    at Object.require (tests/a.test.ts:2:1)");
  });
});

describe("parseJestJson with the console output a test captured", () => {
  const ctx: JsFrameContext = { projectRoots: ["/p"], isTestFile: (rel) => rel.startsWith("tests/") };
  const report = (failureMessage: string): unknown => ({
    testResults: [
      {
        name: "/p/tests/a.test.js",
        status: "failed",
        assertionResults: [{ ancestorTitles: [], title: "t", status: "failed", failureMessages: [failureMessage] }],
      },
    ],
  });
  const assertion =
    "Error: expect(received).toBe(expected)\n\nExpected: 200\nReceived: 500\n    at Object.<anonymous> (/p/tests/a.test.js:9:20)";
  const logged = (file: string): string =>
    `\n  TypeError: boom\n      at handle (${file}:3:9)\n      at Server.emit (node:events:524:28)\n`;
  const parse = (message: string, output: string) => parseJestJson(report(message), { ...ctx, capturedOutput: () => output }).failures[0]!;

  it("takes a logged error with a frame in a source file as the cause of an assertion without one", () => {
    const f = parse(assertion, `server started\n${logged("/p/lib/app.js")}`);
    expect(f).toMatchObject({ errorType: "TypeError", errorMessage: "boom", faultFile: "lib/app.js", faultLine: 3, lineNumber: 9 });
    expect(f.chain?.map((c) => c.errorType)).toEqual(["TypeError", "AssertionError"]);
    expect(f.stackTrace).toContain("Received: 500");
  });

  it("keeps the test's own error when it has a source frame, or when the logged one has none (test or library code)", () => {
    const own = parse(
      `TypeError: other\n    at run (/p/lib/run.js:5:1)\n    at Object.<anonymous> (/p/tests/a.test.js:9:20)`,
      logged("/p/lib/app.js"),
    );
    expect(own).toMatchObject({ errorType: "TypeError", errorMessage: "other", faultFile: "lib/run.js" });
    expect(own.capturedOutput).toContain("TypeError: boom");
    for (const file of ["/p/tests/helper.js", "/p/node_modules/x/index.js"]) {
      const f = parse(assertion, logged(file));
      expect(f).toMatchObject({ errorType: "AssertionError", lineNumber: 9 });
      expect(f.chain).toBeUndefined();
    }
  });
});
