// coverage.py JSON reports → Coverage.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CoverageSchema, RedgreenError } from "../../src/domain/index.js";
import { parseCoverageJson, parseCoverageJsonText } from "../../src/parsers/coverage-json.js";

const dir = mkdtempSync(join(tmpdir(), "redgreen-cov-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const report = {
  meta: { format: 3, version: "7.17.4" },
  files: {
    "pkg/b.py": { executed_lines: [1], summary: { covered_lines: 1, num_statements: 4, percent_covered: 25.0 }, missing_lines: [2, 3, 4] },
    "pkg/a.py": { executed_lines: [], summary: { covered_lines: 0, num_statements: 0, percent_covered: 100.0 }, missing_lines: [] },
  },
  totals: { covered_lines: 1, num_statements: 4, percent_covered: 25.0 },
};

describe("coverage JSON", () => {
  it("reads totals and per-file lines", () => {
    const c = parseCoverageJsonText(JSON.stringify(report));
    expect(() => CoverageSchema.parse(c)).not.toThrow();
    expect(c).toEqual({
      percent: 25,
      coveredLines: 1,
      totalLines: 4,
      files: [
        { file: "pkg/a.py", coveredLines: 0, totalLines: 0, percent: 100, missingLines: [] },
        { file: "pkg/b.py", coveredLines: 1, totalLines: 4, percent: 25, missingLines: [2, 3, 4] },
      ],
    });
  });

  it("computes the percentage when a report lacks it", () => {
    const c = parseCoverageJsonText(JSON.stringify({ files: {}, totals: { covered_lines: 2, num_statements: 3 } }));
    expect(c.percent).toBe(66.67);
  });

  it("rejects what is not a coverage report", () => {
    for (const bad of ["{", "[]", '{"files":{}}']) {
      const err = (() => {
        try {
          parseCoverageJsonText(bad);
        } catch (e) {
          return e;
        }
      })();
      expect(err, bad).toBeInstanceOf(RedgreenError);
      expect((err as RedgreenError).code).toBe("parse_failed");
    }
  });

  it("reads a report file and says io_error for a missing one", () => {
    const path = join(dir, "coverage.json");
    writeFileSync(path, JSON.stringify(report));
    expect(parseCoverageJson(path).percent).toBe(25);
    expect(() => parseCoverageJson(join(dir, "missing.json"))).toThrow(expect.objectContaining({ code: "io_error" }));
  });
});
