// fix_failing_tests: the whole workflow (the real graph runner, and injected ones), its summary text, and its error results.
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RedgreenError } from "../../src/domain/errors.js";
import type { RunSummary } from "../../src/domain/index.js";
import type { Store } from "../../src/store/index.js";
import { createFixFailingTestsTool, createTools, formatRunSummary, PROGRESS_EVENT } from "../../tools/index.js";
import type { ProjectServices, RunWorkflow, ToolProgressEvent, WorkflowRequest } from "../../tools/index.js";
import { createGraphRunWorkflow } from "../../graph/tool-runner.js";
import { testPython } from "../helpers/python-env.js";
import { copyToolsFixture, openProjectStore, testProjects } from "./helpers.js";

let shop: string;
let notes: string;
let store: Store;
let projects: ProjectServices;
let runWorkflow: RunWorkflow;
let shopSummary: RunSummary;

/** The real runner, remembering the summary it returned so tests can compare the text with it. */
const recording =
  (sink: (s: RunSummary) => void): RunWorkflow =>
  async (request, options) => {
    const s = await runWorkflow(request, options);
    sink(s);
    return s;
  };

beforeAll(() => {
  shop = copyToolsFixture("shop");
  notes = copyToolsFixture("notes");
  store = openProjectStore(shop);
  projects = testProjects();
  runWorkflow = createGraphRunWorkflow({ store, projects, python: testPython });
});

afterAll(async () => {
  await projects.close();
  store.close();
  for (const p of [shop, notes]) rmSync(p, { recursive: true, force: true });
});

describe("with the workflow graph as runner", () => {
  it("summarises a run that keeps one fix and gets stuck on a bug only a model could fix", async () => {
    const events: ToolProgressEvent[] = [];
    const tool = createFixFailingTestsTool({ projectRoot: shop, runWorkflow: recording((s) => (shopSummary = s)) });
    // Coverage opted in, so the summary's coverage line has numbers to show.
    const text = (await tool.invoke(
      { coverage: true },
      {
        callbacks: [
          { handleCustomEvent: (name: string, data: unknown) => void (name === PROGRESS_EVENT && events.push(data as ToolProgressEvent)) },
        ],
      },
    )) as string;

    expect(shopSummary).toMatchObject({
      status: "stuck",
      iterations: 2,
      initial: { passed: 1, failed: 2 },
      final: { passed: 2, failed: 1 },
    });
    const lines = text.split("\n");
    expect(lines[0]).toBe(
      `redgreen workflow ${shopSummary.workflowId}: STUCK (1 fix kept, then no further fix helped) after 2 iterations. no pattern ` +
        `fits the remaining failures; ` +
        "LLM step skipped: no model configured: set REDGREEN_MODEL (and OPENAI_BASE_URL/OPENAI_API_KEY) or pass --model",
    );
    // Opted-in coverage is measured on the first full run and on one expected to prove green; this run ends stuck.
    expect(lines[1]).toBe(
      "Tests: before 1 passed, 2 failed, 0 errors of 3; after 2 passed, 1 failed, 0 errors of 3. Coverage 100.0% → n/a.",
    );
    expect(text).toContain(
      "Kept fixes (1):\n  - shop/cart.py: pattern/add_import (risk low, iteration 1): fixed 1 of 1 failing test(s): " +
        "tests/test_cart.py::test_total",
    );
    expect(text).toContain("Remaining failures (1):\n  - tests/test_cart.py::test_average: AssertionError: assert 2.0 == 3");
    expect(text).toContain(`Patch: ${shopSummary.patchPath}`);
    expect(readFileSync(shopSummary.patchPath!, "utf8")).toContain("+import math");
    expect(readFileSync(join(shop, "shop", "cart.py"), "utf8")).toContain("import math");
    expect(text.length).toBeLessThan(1500);

    expect(events.length).toBeGreaterThanOrEqual(2);
    expect(events.map((e) => e.progress)).toEqual(events.map((_, i) => i + 1));
    expect(events[0]!.message).toBe("run_tests: running the full test suite");
    expect(events.map((e) => e.message)).toContain("[iteration 1/5] validate: kept: fixed tests/test_cart.py::test_total");
    expect(events.at(-1)!.message).toMatch(/^\[iteration 2\/5\] report: stuck: /);

    // The workflow is in the store, so list_workflows sees it.
    const list = createTools({ projectRoot: shop, store, projects }).find((t) => t.name === "list_workflows")!;
    const listed = JSON.parse((await list.invoke({ projectPath: "." })) as string);
    expect(listed.workflows).toHaveLength(1);
    expect(listed.workflows[0]).toMatchObject({
      id: shopSummary.workflowId,
      status: "stuck",
      iterations: 2,
      fixes: { kept: 1, rolledBack: 0, rejected: 0 },
    });
    expect(JSON.parse((await list.invoke({ status: "passed" })) as string).workflows).toEqual([]);
  });

  it("passes request options through and reports a green run; dryRun leaves the files alone", async () => {
    const requests: WorkflowRequest[] = [];
    let summary: RunSummary | undefined;
    const tool = createFixFailingTestsTool({
      projectRoot: shop,
      allowedRoots: [shop, notes],
      allowTestEdits: true,
      runWorkflow: recording((s) => (summary = s)),
    });
    const wrapped = createFixFailingTestsTool({
      projectRoot: shop,
      allowedRoots: [shop, notes],
      allowTestEdits: true,
      runWorkflow: async (request, options) => {
        requests.push(request);
        return runWorkflow(request, options);
      },
    });
    const before = readFileSync(join(notes, "notes", "text.py"));
    const text = (await wrapped.invoke({ projectPath: notes, maxIterations: 2, noLlm: true, dryRun: true })) as string;
    expect(requests).toEqual([{ projectRoot: notes, maxIterations: 2, allowTestEdits: true, noLlm: true, dryRun: true }]);
    expect(text).toMatch(/^redgreen workflow [\w-]+: PASSED after 1 iteration\. all tests pass$/m);
    expect(text).toContain("Remaining failures: none.");
    expect(text).toContain("Note: dry run: restored 1 file(s); the verified fixes are in the patch only");
    expect(readFileSync(join(notes, "notes", "text.py"))).toEqual(before);

    const real = (await tool.invoke({ projectPath: notes })) as string;
    expect(summary?.status).toBe("passed");
    expect(real).toContain("Kept fixes (1):\n  - notes/text.py: pattern/add_import");
    expect(readFileSync(join(notes, "notes", "text.py"), "utf8")).toMatch(/^import textwrap$/m);
    expect(existsSync(summary!.patchPath!)).toBe(true);
  });
});

describe("progress", () => {
  it("forwards every step but throttles bursts of transient updates", async () => {
    const events: ToolProgressEvent[] = [];
    const tool = createFixFailingTestsTool({
      projectRoot: shop,
      runWorkflow: async (_request, { onProgress } = {}) => {
        onProgress?.({ message: "running the test suite" });
        for (let i = 1; i <= 50; i++) onProgress?.({ message: `${i} tests done`, transient: true });
        onProgress?.({ message: "analyzing 2 failures", iteration: 1, maxIterations: 5 });
        return shopSummary;
      },
    });
    await tool.invoke(
      {},
      { callbacks: [{ handleCustomEvent: (_: string, data: unknown) => void events.push(data as ToolProgressEvent) }] },
    );
    expect(events.map((e) => e.message)).toEqual(["running the test suite", "1 tests done", "[iteration 1/5] analyzing 2 failures"]);
    expect(events.map((e) => e.progress)).toEqual([1, 2, 3]);
  });
});

describe("formatRunSummary", () => {
  it("caps long lists and shows coverage when measured", () => {
    const many: RunSummary["remainingFailures"] = Array.from({ length: 13 }, (_, i) => ({
      nodeId: `tests/test_x.py::test_${i}`,
      errorType: "ValueError",
      message: `bad ${i}\nsecond line`,
    }));
    const suspect = { file: "pkg/x.py", line: 3, score: 0.5, text: "return a - b" };
    many[1] = { ...many[1]!, suspiciousLines: [suspect, { ...suspect, line: 2 }] };
    const text = formatRunSummary({
      ...shopSummary,
      status: "max_iterations",
      initial: { ...shopSummary.initial!, coverage: 61.25 },
      final: { ...shopSummary.final!, coverage: 70 },
      remainingFailures: many,
      flaky: ["tests/test_x.py::test_flaky"],
      notes: ["no model configured"],
    });
    expect(text).toContain("STOPPED at the iteration cap after 2 iterations");
    expect(text).toContain("Coverage 61.3% → 70.0%.");
    expect(text).toContain("Remaining failures (13):");
    expect(text).toContain("  - tests/test_x.py::test_9: ValueError: bad 9");
    expect(text).toContain("  - tests/test_x.py::test_1: ValueError: bad 1 (most suspicious line: pkg/x.py:3)\n");
    expect(text).toContain("  - tests/test_x.py::test_2: ValueError: bad 2\n");
    expect(text).not.toContain("test_10:");
    expect(text).not.toContain("second line");
    expect(text).toContain("  … and 3 more");
    expect(text).toContain("Flaky (passed on a re-run, not fixed): tests/test_x.py::test_flaky");
    expect(text).toContain("Note: no model configured");
  });

  it("says when nothing was kept", () => {
    const text = formatRunSummary({ ...shopSummary, status: "stuck", fixes: [], patch: "", patchPath: null });
    expect(text).toContain("STUCK (no fix helped)");
    expect(text).toContain("Kept fixes: none.");
    expect(text).toContain("Patch: none (no fix was kept).");
  });
});

describe("error results", () => {
  const invoke = async (runner: RunWorkflow | undefined, args: Record<string, unknown> = {}): Promise<{ error: string; code: string }> => {
    const tool = createFixFailingTestsTool({ projectRoot: shop, ...(runner ? { runWorkflow: runner } : {}) });
    return JSON.parse((await tool.invoke(args)) as string);
  };

  it("without a runner", async () => {
    expect(await invoke(undefined)).toEqual({
      error: "fix_failing_tests is not available here: no workflow runner was configured",
      code: "config",
    });
  });

  it("when the runner fails", async () => {
    expect(await invoke(async () => Promise.reject(new RedgreenError("runner_failed", "pytest could not run the suite")))).toEqual({
      error: "pytest could not run the suite",
      code: "runner_failed",
    });
  });

  it("when the runner returns something that is not a RunSummary", async () => {
    const out = await invoke(async () => ({ ...shopSummary, status: "green" }) as unknown as RunSummary);
    expect(out.code).toBe("internal");
    expect(out.error).toContain("status");
  });

  it("for a project outside the allowed roots, before the runner starts", async () => {
    let called = false;
    const out = await invoke(async (r, o) => ((called = true), runWorkflow(r, o)), { projectPath: notes });
    expect(out.code).toBe("usage");
    expect(out.error).toContain("outside the projects these tools may work on");
    expect(called).toBe(false);
    expect((await invoke(runWorkflow, { projectPath: "no/such/dir" })).code).toBe("path_not_found");
  });
});
