// Parser for coverage.py's JSON report (what pytest-cov writes with --cov-report=json:PATH).
import { readFileSync } from "node:fs";
import { RedgreenError } from "../domain/errors.js";
import type { Coverage, FileCoverage } from "../domain/test-run.js";

type Json = Record<string, unknown>;

const int = (v: unknown): number => (typeof v === "number" && Number.isFinite(v) ? Math.max(0, Math.trunc(v)) : 0);
const pct = (covered: number, total: number, given: unknown): number =>
  typeof given === "number" && Number.isFinite(given)
    ? Math.round(given * 100) / 100
    : total === 0
      ? 100
      : Math.round((covered / total) * 10000) / 100;

/** Turns the text of a coverage.py JSON report into Coverage; throws RedgreenError("parse_failed") on anything else. */
export function parseCoverageJsonText(text: string): Coverage {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new RedgreenError("parse_failed", `coverage JSON is not valid JSON: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  if (!doc || typeof doc !== "object" || typeof (doc as Json).files !== "object" || typeof (doc as Json).totals !== "object") {
    throw new RedgreenError("parse_failed", "coverage JSON has no 'files' and 'totals' (not a coverage.py JSON report)");
  }
  const files: FileCoverage[] = [];
  for (const [file, raw] of Object.entries((doc as Json).files as Json)) {
    const entry = (raw ?? {}) as Json;
    const summary = (entry.summary ?? {}) as Json;
    const coveredLines = int(summary.covered_lines);
    const totalLines = int(summary.num_statements);
    const missing = Array.isArray(entry.missing_lines)
      ? (entry.missing_lines as unknown[]).filter((n): n is number => Number.isInteger(n))
      : [];
    files.push({ file, coveredLines, totalLines, percent: pct(coveredLines, totalLines, summary.percent_covered), missingLines: missing });
  }
  files.sort((a, b) => a.file.localeCompare(b.file));
  const totals = (doc as Json).totals as Json;
  const coveredLines = int(totals.covered_lines);
  const totalLines = int(totals.num_statements);
  return { percent: pct(coveredLines, totalLines, totals.percent_covered), coveredLines, totalLines, files };
}

/** Reads and parses a coverage.py JSON report file; RedgreenError("io_error") when it cannot be read. */
export function parseCoverageJson(path: string): Coverage {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new RedgreenError("io_error", `cannot read the coverage report ${path}: ${e instanceof Error ? e.message : String(e)}`, {
      cause: e,
    });
  }
  return parseCoverageJsonText(text);
}
