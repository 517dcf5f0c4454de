// Parser for istanbul coverage reports (json-summary + json), as vitest's and jest's v8 coverage write them.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { RedgreenError } from "../domain/errors.js";
import type { Coverage, FileCoverage } from "../domain/test-run.js";
import { parseJsonAs } from "./parse-json.js";
import { classifyJsFile, type JsFrameContext } from "./v8-stack.js";

const LinesSchema = z.object({ total: z.number(), covered: z.number(), pct: z.union([z.number(), z.string()]).optional() });
/** coverage-summary.json: "total" and one entry per absolute file path. */
const SummarySchema = z.record(z.string(), z.object({ lines: LinesSchema }));
const PositionSchema = z.object({ line: z.number() });
/** coverage-final.json: per absolute file path, the statements and how often each ran. */
const FinalSchema = z.record(
  z.string(),
  z.object({
    statementMap: z.record(z.string(), z.object({ start: PositionSchema, end: PositionSchema })),
    s: z.record(z.string(), z.number()),
  }),
);

/** Which files count: the project's own, not tests, not node_modules. */
export type IstanbulContext = Pick<JsFrameContext, "projectRoots" | "isTestFile">;

/** Lines whose statements never ran, the way istanbul counts lines: by each statement's first line. */
function missingLines(detail: z.infer<typeof FinalSchema>[string] | undefined): number[] {
  if (!detail) return [];
  const hits = new Map<number, number>();
  for (const [id, loc] of Object.entries(detail.statementMap)) {
    const line = loc.start.line;
    hits.set(line, Math.max(hits.get(line) ?? 0, detail.s[id] ?? 0));
  }
  return [...hits]
    .filter(([, n]) => n === 0)
    .map(([line]) => line)
    .sort((a, b) => a - b);
}

/** Coverage from the texts of coverage-summary.json and (optionally) coverage-final.json; totals are over the kept files. */
export function parseIstanbulCoverage(summaryText: string, finalText: string | null, ctx: IstanbulContext): Coverage {
  const summary = parseJsonAs(SummarySchema, summaryText, "coverage-summary.json");
  const detail = finalText === null ? {} : parseJsonAs(FinalSchema, finalText, "coverage-final.json");
  const files: FileCoverage[] = [];
  for (const [abs, entry] of Object.entries(summary)) {
    if (abs === "total") continue;
    const c = classifyJsFile(abs, ctx);
    if (c.kind !== "project") continue;
    const { total, covered } = entry.lines;
    files.push({
      file: c.file,
      coveredLines: covered,
      totalLines: total,
      percent: total === 0 ? 100 : (covered / total) * 100,
      missingLines: missingLines(detail[abs]),
    });
  }
  files.sort((a, b) => a.file.localeCompare(b.file));
  const coveredLines = files.reduce((n, f) => n + f.coveredLines, 0);
  const totalLines = files.reduce((n, f) => n + f.totalLines, 0);
  return { percent: totalLines === 0 ? 100 : (coveredLines / totalLines) * 100, coveredLines, totalLines, files };
}

/** Coverage from a reports folder holding coverage-summary.json and coverage-final.json. */
export function parseIstanbulCoverageFiles(dir: string, ctx: IstanbulContext): Coverage {
  const summaryPath = join(dir, "coverage-summary.json");
  if (!existsSync(summaryPath)) throw new RedgreenError("io_error", `no coverage-summary.json in ${dir}`);
  const finalPath = join(dir, "coverage-final.json");
  return parseIstanbulCoverage(readFileSync(summaryPath, "utf8"), existsSync(finalPath) ? readFileSync(finalPath, "utf8") : null, ctx);
}
