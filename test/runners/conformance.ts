// The contract every TestRunnerAdapter meets, checked on equivalent fixture projects of each runner.
import { afterAll, describe, expect, it } from "vitest";
import { FailureSchema, RedgreenError, TestRunResultSchema, type TestRunResult } from "../../src/domain/index.js";
import type { RunProgress, TestRunnerAdapter } from "../../src/runners/adapter.js";

/** The fixture projects a runner provides for the conformance suite. */
export type ConformanceFixture = "passing" | "failing" | "empty" | "hanging";

/** What a runner's test hands the suite: adapters on its fixtures and what those fixtures contain. */
export interface ConformanceSubject {
  /** An adapter rooted at a fresh copy of the named fixture project. */
  makeAdapter(fixture: ConformanceFixture, options?: { testTimeoutSeconds?: number }): Promise<TestRunnerAdapter>;
  /** The runner's own terminal output for the failing fixture (parseOutput must agree with runTests). */
  terminalOutput(): Promise<string>;
  /** Removes fixture copies. */
  cleanup?(): void;
  passing: { passedNodeIds: string[] };
  failing: {
    /** Every node id that must come back with at least one failure. */
    failedNodeIds: string[];
    oneFailing: { file: string; name: string };
    onePassing: { file: string; name: string };
  };
  hanging: { files: string[]; hangingNodeId: string; passingNodeId: string };
  testFiles: string[];
  nonTestFiles: string[];
}

const expectValidResult = (r: TestRunResult): void => {
  expect(() => TestRunResultSchema.parse(r)).not.toThrow();
  expect(r.total).toBe(r.passed + r.failed + r.errors + r.skipped + r.xfailed + r.xpassed);
  expect(r.durationSeconds).toBeGreaterThanOrEqual(0);
  expect(r.command.length).toBeGreaterThan(0);
  const failed = new Set(r.failures.map((f) => f.nodeId));
  for (const id of r.passedNodeIds) expect(failed.has(id)).toBe(false);
};

const expectValidFailure = (adapter: TestRunnerAdapter, f: TestRunResult["failures"][number]): void => {
  expect(() => FailureSchema.parse(f)).not.toThrow();
  expect(f.nodeId).toBe(f.testName ? `${f.testFile}::${f.testName}` : f.testFile);
  expect(f.errorType).not.toBe("");
  expect(f.stackTrace).not.toBe("");
  expect(adapter.isTestFile(f.testFile)).toBe(true);
  if (f.lineNumber !== null && f.frames.length > 0) expect(f.frames.map((fr) => fr.line)).toContain(f.lineNumber);
  for (const fr of f.frames) expect(fr.kind).toBeDefined();
};

/** Registers the conformance tests for one adapter. */
export function runAdapterConformance(name: string, subject: ConformanceSubject): void {
  describe(`${name} adapter conformance`, () => {
    afterAll(() => subject.cleanup?.());

    it("reports a passing suite with counts, node ids and progress", async () => {
      const adapter = await subject.makeAdapter("passing");
      const progress: RunProgress[] = [];
      const r = await adapter.runTests({ onProgress: (p) => progress.push({ ...p }) });
      expectValidResult(r);
      expect(r.status).toBe("passed");
      expect(r.failures).toEqual([]);
      expect(r.failed + r.errors).toBe(0);
      expect([...r.passedNodeIds].sort()).toEqual([...subject.passing.passedNodeIds].sort());
      expect(r.passed).toBe(subject.passing.passedNodeIds.length);
      const last = progress[progress.length - 1];
      expect(last).toBeDefined();
      expect(last!.done).toBe(r.passed);
      expect(last!.collected).toBe(r.passed);
      expect(last!.failed).toBe(0);
    });

    it("reports every failure in structured form", async () => {
      const adapter = await subject.makeAdapter("failing");
      const r = await adapter.runTests();
      expectValidResult(r);
      expect(r.status).toBe("failed");
      const ids = new Set(r.failures.map((f) => f.nodeId));
      expect([...ids].sort()).toEqual([...subject.failing.failedNodeIds].sort());
      expect(r.failed + r.errors).toBeGreaterThanOrEqual(ids.size);
      for (const f of r.failures) expectValidFailure(adapter, f);
      expect(r.passedNodeIds.length).toBeGreaterThan(0);
    });

    it("runs one failing and one passing test by name", async () => {
      const adapter = await subject.makeAdapter("failing");
      const bad = await adapter.runSpecificTest(subject.failing.oneFailing.file, subject.failing.oneFailing.name);
      expectValidResult(bad);
      expect(bad.status).toBe("failed");
      expect(bad.failures.map((f) => f.nodeId)).toEqual([`${subject.failing.oneFailing.file}::${subject.failing.oneFailing.name}`]);
      expect(bad.passed).toBe(0);
      const good = await adapter.runSpecificTest(subject.failing.onePassing.file, subject.failing.onePassing.name);
      expect(good.status).toBe("passed");
      expect(good.passedNodeIds).toEqual([`${subject.failing.onePassing.file}::${subject.failing.onePassing.name}`]);
    });

    it("says no_tests for a project without tests", async () => {
      const adapter = await subject.makeAdapter("empty");
      const r = await adapter.runTests();
      expectValidResult(r);
      expect(r.status).toBe("no_tests");
      expect(r.total).toBe(0);
      expect(r.failures).toEqual([]);
    });

    it("throws path_not_found for a test path that does not exist", async () => {
      const adapter = await subject.makeAdapter("passing");
      const err = await adapter.runTests({ files: ["no/such/test_file.py"] }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RedgreenError);
      expect((err as RedgreenError).code).toBe("path_not_found");
    });

    it("fails a hanging test as Timeout with its stack and runs the rest", async () => {
      const adapter = await subject.makeAdapter("hanging", { testTimeoutSeconds: 1 });
      const started = Date.now();
      const r = await adapter.runTests({ files: subject.hanging.files });
      expect(Date.now() - started).toBeLessThan(20_000);
      expectValidResult(r);
      expect(r.status).toBe("failed");
      const hang = r.failures.find((f) => f.nodeId === subject.hanging.hangingNodeId);
      expect(hang?.errorType).toBe("Timeout");
      expect(hang!.frames.length).toBeGreaterThan(0);
      expect(r.passedNodeIds).toContain(subject.hanging.passingNodeId);
    });

    it("parses its own terminal output into the same failures", async () => {
      const adapter = await subject.makeAdapter("failing");
      const [run, text] = await Promise.all([adapter.runTests(), subject.terminalOutput()]);
      const parsed = adapter.parseOutput(text);
      expect(parsed.source).toBe("text");
      expect(parsed.status).toBe("failed");
      const key = (r: TestRunResult): string[] => [...new Set(r.failures.map((f) => `${f.nodeId} ${f.phase} ${f.errorType}`))].sort();
      expect(key(parsed)).toEqual(key(run));
      expect(parsed.failed).toBe(run.failed);
      expect(parsed.errors).toBe(run.errors);
      expect(parsed.passed).toBe(run.passed);
    });

    it("classifies test files and slow durations", async () => {
      const adapter = await subject.makeAdapter("passing");
      for (const f of subject.testFiles) expect(adapter.isTestFile(f), f).toBe(true);
      for (const f of subject.nonTestFiles) expect(adapter.isTestFile(f), f).toBe(false);
      expect(adapter.isTestTimeout(0.01)).toBe(false);
      expect(adapter.isTestTimeout(3600)).toBe(true);
    });
  });
}
