// toTsDiagnostic and newDiagnostics: the one conversion and the one comparison the service, the patterns and validation share.
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { newDiagnostics, toTsDiagnostic } from "../../src/ts-project/diagnostics.js";
import type { TsDiagnostic } from "../../src/ts-project/types.js";

const diag = (code: number, message: string, line: number): TsDiagnostic => ({
  file: "src/a.ts",
  code,
  category: "error",
  kind: "semantic",
  message,
  line,
  column: 1,
  start: line * 10,
  length: 1,
});

describe("toTsDiagnostic", () => {
  const text = "export const a = 1;\nexport const b: string = a;\n";
  const sourceFile = ts.createSourceFile("/p/src/a.ts", text, ts.ScriptTarget.Latest, true);

  it("maps position, category and a chained message (1-based line and column)", () => {
    const start = text.indexOf("b:");
    const d: ts.Diagnostic = {
      file: sourceFile,
      start,
      length: 1,
      code: 2322,
      category: ts.DiagnosticCategory.Error,
      messageText: {
        messageText: "Type 'number' is not assignable to type 'string'.",
        category: ts.DiagnosticCategory.Error,
        code: 2322,
        next: [{ messageText: "Because.", category: ts.DiagnosticCategory.Message, code: 1 }],
      },
    };
    expect(toTsDiagnostic(ts, d, "src/a.ts", "semantic")).toEqual({
      file: "src/a.ts",
      code: 2322,
      category: "error",
      kind: "semantic",
      message: "Type 'number' is not assignable to type 'string'.\n  Because.",
      line: 2,
      column: 14,
      start,
      length: 1,
    });
  });

  it("names every category, and puts a diagnostic without a file or start at line 1", () => {
    const categories = [ts.DiagnosticCategory.Warning, ts.DiagnosticCategory.Suggestion, ts.DiagnosticCategory.Message].map(
      (category) =>
        toTsDiagnostic(ts, { file: sourceFile, start: 0, length: 6, code: 1, category, messageText: "m" }, "src/a.ts", "semantic").category,
    );
    expect(categories).toEqual(["warning", "suggestion", "message"]);
    const global = toTsDiagnostic(
      ts,
      { file: undefined, start: undefined, length: undefined, code: 5023, category: 1, messageText: "Unknown option." },
      "tsconfig.json",
      "syntactic",
    );
    expect(global).toMatchObject({ line: 1, column: 1, start: 0, length: 0, category: "error" });
  });
});

describe("newDiagnostics", () => {
  it("compares code + message as multisets: moved lines are not new, an extra copy is", () => {
    const before = [diag(2304, "Cannot find name 'x'.", 3), diag(2304, "Cannot find name 'x'.", 9), diag(2322, "Type mismatch.", 4)];
    const after = [
      diag(2304, "Cannot find name 'x'.", 5),
      diag(2304, "Cannot find name 'x'.", 11),
      diag(2304, "Cannot find name 'x'.", 12),
      diag(2339, "No such property.", 6),
    ];
    expect(newDiagnostics(before, after)).toEqual([after[2], after[3]]);
    expect(newDiagnostics(after, before)).toEqual([before[2]]);
    expect(newDiagnostics([], [])).toEqual([]);
  });
});
