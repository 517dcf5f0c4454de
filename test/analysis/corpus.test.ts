// The labelled corpus: every real failure captured from pytest 7, 8 and 9 is analyzed and checked against its label.
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Analysis } from "../../src/domain/analysis.js";
import type { Failure } from "../../src/domain/failure.js";
import { analyzeFailure } from "../../src/analysis/analyze.js";
import { parseJUnitXml } from "../../src/parsers/junit-xml.js";
import { parsePytestJsonl } from "../../src/parsers/pytest-jsonl.js";
import { createPytestAdapter } from "../../src/runners/pytest/adapter.js";
import { testPython } from "../helpers/python-env.js";
import { failuresFromTerminal, labels, meta, projectsDir, readCaptured, STYLES, type Label } from "./corpus.js";

interface Scored {
  source: string;
  nodeId: string;
  label: Label;
  analysis: Analysis;
}

const scored: Scored[] = [];

/** Analyzes each failure, records the result for the accuracy summary, and returns the entries that miss their label. */
function check(source: string, project: string, failures: Failure[]): string[] {
  const projectRoot = join(projectsDir, project);
  const misses: string[] = [];
  for (const failure of failures) {
    const label = labels[project]![failure.nodeId]!;
    const analysis = analyzeFailure(failure, { projectRoot });
    scored.push({ source, nodeId: failure.nodeId, label, analysis });
    const got = { category: analysis.errorCategory, file: analysis.fileToFix, line: analysis.lineNumber, strategy: analysis.fixStrategy };
    if (JSON.stringify(got) !== JSON.stringify(label))
      misses.push(`${failure.nodeId}: got ${JSON.stringify(got)}, want ${JSON.stringify(label)}`);
  }
  return misses;
}

const score = (rows: Scored[]) => ({
  total: rows.length,
  category: rows.filter((r) => r.analysis.errorCategory === r.label.category).length,
  location: rows.filter((r) => r.analysis.fileToFix === r.label.file && r.analysis.lineNumber === r.label.line).length,
  strategy: rows.filter((r) => r.analysis.fixStrategy === r.label.strategy).length,
});

describe("analyzer corpus (real pytest failures)", () => {
  for (const [version, { projects }] of Object.entries(meta.versions)) {
    for (const project of projects) {
      for (const style of STYLES) {
        it(`pytest ${version} ${project} --tb=${style}`, () => {
          const text = readCaptured(version, project, `${style}.txt`);
          expect(text, "captured output").not.toBeNull();
          const failures = failuresFromTerminal(text!);
          expect(failures.map((f) => f.nodeId).sort()).toEqual(Object.keys(labels[project]!).sort());
          expect(
            check(
              `pytest${version}/${project}/${style}.txt`,
              project,
              failures.map((f) => f.failure),
            ),
          ).toEqual([]);
        });
      }
    }
  }

  for (const [version, { projects }] of Object.entries(meta.versions)) {
    for (const project of projects) {
      for (const style of STYLES) {
        it(`pytest ${version} ${project} JUnit XML (--tb=${style})`, () => {
          const xml = readCaptured(version, project, `${style}.xml`);
          expect(xml, "captured JUnit XML").not.toBeNull();
          const { failures } = parseJUnitXml(xml!, { rootDir: join(projectsDir, project) });
          expect(failures.map((f) => f.nodeId).sort()).toEqual(Object.keys(labels[project]!).sort());
          expect(check(`pytest${version}/${project}/${style}.xml`, project, failures)).toEqual([]);
        });
      }
    }
  }

  for (const [version, { projects }] of Object.entries(meta.versions)) {
    for (const project of projects) {
      it(`pytest ${version} ${project} plugin JSONL (structured frames)`, () => {
        const jsonl = readCaptured(version, project, "plugin.jsonl");
        expect(jsonl, "captured plugin JSONL").not.toBeNull();
        const { failures } = parsePytestJsonl(jsonl!, join(projectsDir, project));
        expect(failures.map((f) => f.nodeId).sort()).toEqual(Object.keys(labels[project]!).sort());
        expect(check(`pytest${version}/${project}/plugin.jsonl`, project, failures)).toEqual([]);
      });
    }
  }

  // One live run through the real adapter: fresh pytest output, not a capture.
  it("live pytest run of dbapp through createPytestAdapter", async () => {
    const adapter = await createPytestAdapter({ projectRoot: join(projectsDir, "dbapp"), python: testPython });
    const result = await adapter.runTests();
    expect(result.source).toBe("jsonl");
    expect(result.failures.map((f) => f.nodeId).sort()).toEqual(Object.keys(labels.dbapp!).sort());
    expect(check("live/dbapp", "dbapp", result.failures)).toEqual([]);
  });

  afterAll(() => {
    const distinct = new Set(Object.entries(labels).flatMap(([p, l]) => Object.keys(l).map((n) => `${p}/${n}`))).size;
    const bySource = new Map<string, Scored[]>();
    for (const r of scored) {
      const kind = r.source.startsWith("live")
        ? "live adapter run"
        : r.source.endsWith(".jsonl")
          ? "plugin JSONL"
          : r.source.endsWith(".xml")
            ? "JUnit XML"
            : "terminal text";
      bySource.set(kind, [...(bySource.get(kind) ?? []), r]);
    }
    console.log(
      `analyzer corpus: ${distinct} labelled failures, ${scored.length} analyses (pytest 7/8/9; long/short/native text, JUnit ` +
        `XML, plugin JSONL)`,
    );
    for (const [kind, rows] of [["all", scored] as const, ...bySource]) {
      const s = score(rows);
      console.log(
        `  ${kind.padEnd(16)} category ${s.category}/${s.total}, location ${s.location}/${s.total}, strategy ${s.strategy}/${s.total}`,
      );
    }
  });
});
