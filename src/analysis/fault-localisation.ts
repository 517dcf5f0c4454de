// Spectrum-based fault localisation: Ochiai scores of project lines from per-test coverage and a run's outcomes.
import type { SuspiciousLine } from "../domain/analysis.js";
import type { Failure } from "../domain/failure.js";
import type { PerTestCoverage, TestRunnerAdapter } from "../runners/adapter.js";
import { createFsSourceReader, type SourceReader } from "./source.js";

/** Suspicious lines reported per failure. */
export const SUSPICIOUS_LINES = 5;
/** Characters of a line's text kept. */
const TEXT_MAX = 200;

export interface SpectrumInput {
  coverage: PerTestCoverage;
  /** Node ids of the run's failing tests; every other test the coverage measured counts as passing. */
  failing: readonly string[];
  /** Test files (and the runner's support files) are never suspects. */
  isTestFile: (relPath: string) => boolean;
  /** Reads the suspects' text. */
  source: SourceReader;
}

/** Ranks the lines one failing test executed; the counts behind the scores are computed once per file and reused. */
export interface FaultLocaliser {
  /** The most suspicious project lines `nodeId` executed, best first; empty when the test is not a measured failure. */
  rank(nodeId: string, limit?: number): SuspiciousLine[];
  /** The ranking for a failure whose stack stops short of project code; empty for any other failure. */
  suspects(failure: Pick<Failure, "nodeId" | "faultFile">): SuspiciousLine[];
}

/** Whether a failure's stack stops short of project code: no fault frame, or the fault is in a test (an assertion). */
export function stackMissesProject(failure: Pick<Failure, "faultFile">, isTestFile: (relPath: string) => boolean): boolean {
  return failure.faultFile === null || isTestFile(failure.faultFile);
}

/** How many failing (ef) and passing (ep) tests executed each line of one file. */
interface FileSpectrum {
  ef: Map<number, number>;
  ep: Map<number, number> | null;
}

/** The failing side of the spectrum: the measured tests, the measured failing ones, and ef per line of each file. */
interface FailingSide {
  measured: Set<string>;
  failing: Set<string>;
  files: Map<string, FileSpectrum>;
}

/**
 * Builds the localiser. Nothing is read until the first ranking; then the failing tests' lines, and the passing tests
 * of a file only when a failure that executed the file is ranked (through testsCovering), so a 20,000-test run is never
 * read whole, and a run whose failures all point into project code reads nothing.
 */
export function createFaultLocaliser(input: SpectrumInput): FaultLocaliser {
  const { coverage, isTestFile, source } = input;
  let side: FailingSide | null = null;
  const failingSide = (): FailingSide => {
    if (side !== null) return side;
    const measured = new Set(coverage.tests());
    const failing = new Set(input.failing.filter((id) => measured.has(id)));
    const files = new Map<string, FileSpectrum>();
    for (const id of failing) {
      for (const [file, lines] of coverage.linesOf(id)) {
        if (isTestFile(file)) continue;
        let spectrum = files.get(file);
        if (spectrum === undefined) files.set(file, (spectrum = { ef: new Map(), ep: null }));
        for (const line of new Set(lines)) spectrum.ef.set(line, (spectrum.ef.get(line) ?? 0) + 1);
      }
    }
    return (side = { measured, failing, files });
  };

  const passingCounts = (file: string, spectrum: FileSpectrum): Map<number, number> => {
    if (spectrum.ep !== null) return spectrum.ep;
    const { failing, measured } = failingSide();
    const ep = new Map<number, number>();
    for (const id of coverage.testsCovering(file) ?? []) {
      if (failing.has(id) || !measured.has(id)) continue;
      for (const line of new Set(coverage.linesOf(id).get(file) ?? [])) {
        if (spectrum.ef.has(line)) ep.set(line, (ep.get(line) ?? 0) + 1);
      }
    }
    spectrum.ep = ep;
    return ep;
  };

  const localiser: FaultLocaliser = {
    suspects: (failure) => (stackMissesProject(failure, isTestFile) ? localiser.rank(failure.nodeId) : []),
    rank(nodeId, limit = SUSPICIOUS_LINES) {
      const { failing, files } = failingSide();
      if (!failing.has(nodeId)) return [];
      const scored: { file: string; line: number; score: number }[] = [];
      for (const [file, lines] of coverage.linesOf(nodeId)) {
        const spectrum = files.get(file);
        if (spectrum === undefined) continue;
        const ep = passingCounts(file, spectrum);
        for (const line of new Set(lines)) {
          const ef = spectrum.ef.get(line)!;
          scored.push({ file, line, score: ef / Math.sqrt(failing.size * (ef + (ep.get(line) ?? 0))) });
        }
      }
      scored.sort((a, b) => b.score - a.score || (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line));
      return scored.slice(0, limit).map((s) => ({
        file: s.file,
        line: s.line,
        score: Math.round(s.score * 10_000) / 10_000,
        text: (source.lines(s.file)?.[s.line - 1] ?? "").trim().slice(0, TEXT_MAX),
      }));
    },
  };
  return localiser;
}

/**
 * The localiser for a run of `adapter`'s project whose failing tests are `failing`, over the per-test coverage the
 * adapter last recorded; null when it recorded none (the JS runners, a run without coverage).
 */
export function faultLocaliserFor(
  adapter: Pick<TestRunnerAdapter, "projectRoot" | "isTestFile" | "testCoverage">,
  failing: readonly string[],
  source: SourceReader = createFsSourceReader(adapter.projectRoot),
): FaultLocaliser | null {
  const coverage = adapter.testCoverage?.() ?? null;
  if (coverage === null) return null;
  return createFaultLocaliser({ coverage, failing, isTestFile: (file) => adapter.isTestFile(file), source });
}
