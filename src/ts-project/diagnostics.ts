// TsDiagnostic helpers shared by the language service, the TS patterns and TS validation: conversion and comparison.
import type ts from "typescript";
import type { TypeScriptApi } from "./load.js";
import type { TsDiagnostic } from "./types.js";

// Indexed by ts.DiagnosticCategory (Warning, Error, Suggestion, Message).
const CATEGORY = ["warning", "error", "suggestion", "message"] as const;

/** A compiler diagnostic in the TsDiagnostic shape, reported against `file` (project-relative). */
export function toTsDiagnostic(tsApi: TypeScriptApi, d: ts.Diagnostic, file: string, kind: TsDiagnostic["kind"]): TsDiagnostic {
  const start = d.start ?? 0;
  const at = d.file ? tsApi.getLineAndCharacterOfPosition(d.file, start) : { line: 0, character: 0 };
  return {
    file,
    code: d.code,
    category: CATEGORY[d.category] ?? "error",
    kind,
    message: tsApi.flattenDiagnosticMessageText(d.messageText, "\n"),
    line: at.line + 1,
    column: at.character + 1,
    start,
    length: d.length ?? 0,
  };
}

/** What identifies a diagnostic across edits: its code and message (its position moves with unrelated lines). */
export const diagnosticKey = (d: TsDiagnostic): string => `${d.code}\u0000${d.message}`;

/** Diagnostics of `after` beyond those of `before`, compared as multisets of code + message (line shifts do not matter). */
export function newDiagnostics(before: readonly TsDiagnostic[], after: readonly TsDiagnostic[]): TsDiagnostic[] {
  const left = new Map<string, number>();
  for (const d of before) left.set(diagnosticKey(d), (left.get(diagnosticKey(d)) ?? 0) + 1);
  const fresh: TsDiagnostic[] = [];
  for (const d of after) {
    const n = left.get(diagnosticKey(d)) ?? 0;
    if (n > 0) left.set(diagnosticKey(d), n - 1);
    else fresh.push(d);
  }
  return fresh;
}
