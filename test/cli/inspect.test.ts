// The inspector in real headless Chromium: a workflow really run on a copy of examples/shop, checkpoints, diffs, fork.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { createCheckpointer } from "../../graph/checkpointer.js";
import { resumeWorkflow, runWorkflow } from "../../graph/run.js";
import { createEditJournal } from "../../src/store/edit-journal.js";
import { openStore } from "../../src/store/index.js";
import type { Store } from "../../src/store/index.js";
import type { RunSummary } from "../../src/domain/index.js";
import { startInspectorServer } from "../../src/cli/inspect/server.js";
import type { InspectorServer } from "../../src/cli/inspect/server.js";
import type { TimelineEntry } from "../../src/cli/inspect/timeline.js";
import { createWorkflowRuntime } from "../../src/cli/workflow-deps.js";
import { testPython } from "../helpers/python-env.js";
import { copyExampleShop } from "../helpers/project-copy.js";
import { artifactsDir, launchBrowser, offlinePage } from "./browser.js";

const runtimeFor = (projectRoot: string, db: string) =>
  createWorkflowRuntime({ projectRoot, python: testPython, db, env: {}, cwd: projectRoot, options: { noLlm: true, coverage: true } });

describe("redgreen inspect", () => {
  let project: string;
  let cleanup: (() => void) | undefined;
  let dbPath: string;
  let first: RunSummary;
  let store: Store;
  let server: InspectorServer;
  let browser: Browser;

  beforeAll(async () => {
    const copy = copyExampleShop({ withoutShipping: true });
    project = copy.root;
    cleanup = copy.cleanup;
    dbPath = join(project, ".redgreen", "redgreen.db");
    const rt = await runtimeFor(project, dbPath);
    try {
      first = await runWorkflow(rt.deps, { projectRoot: project }, { checkpointer: rt.checkpointer });
    } finally {
      await rt.close();
    }
    store = openStore(dbPath);
    server = await startInspectorServer({
      store,
      journal: createEditJournal(store.db, () => new Date().toISOString()),
      checkpointer: createCheckpointer(store),
      port: 0,
      replay: async (id, root) => {
        const rt2 = await runtimeFor(root, dbPath);
        try {
          return await resumeWorkflow(rt2.deps, id, { checkpointer: rt2.checkpointer });
        } finally {
          await rt2.close();
        }
      },
    });
    browser = await launchBrowser();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    store?.close();
    cleanup?.();
  });

  it("serves the workflow as JSON: timeline from the checkpoint history, path, fixes, log, series", async () => {
    expect(first.status).toBe("passed");
    const view = (await (await fetch(`${server.url}api/workflows/${first.workflowId}`)).json()) as {
      timeline: TimelineEntry[];
      path: string[];
      fixes: { status: string }[];
      logs: { phase: string }[];
      series: { iteration: number; passed: number; failing: number }[];
      mermaid: string;
    };
    expect(view.timeline[0]!.source).toBe("input");
    expect(view.timeline.at(-1)!.next).toEqual([]);
    expect(view.timeline.map((e) => e.node)).toContain("validate");
    expect(view.path[0]).toBe("__start__");
    expect(view.path.at(-1)).toBe("__end__");
    expect(view.path).toContain("pattern_fix");
    expect(view.fixes.filter((f) => f.status === "kept").length).toBe(first.fixes.filter((f) => f.status === "kept").length);
    expect(view.logs.map((l) => l.phase)).toContain("run_tests");
    expect(view.series[0]!.iteration).toBe(0);
    expect(view.series[0]!.failing).toBe(first.initial!.failed + first.initial!.errors);
    expect(view.series.at(-1)!.failing).toBe(0);
    expect(view.mermaid).toMatch(/class __start__,run_tests,analyze,pattern_fix,validate.*visited;/);

    const missing = await fetch(`${server.url}api/workflows/nope`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: string }).error).toBe("no workflow with id nope");
  });

  it("shows a clicked checkpoint's state and its diff in Chromium, offline, and forks and replays from it", async () => {
    const { page, external, errors } = await offlinePage(browser);
    await page.goto(`${server.url}?workflow=${first.workflowId}`);
    await page.waitForSelector(`body[data-loaded="${first.workflowId}"]`);
    await page.waitForSelector("#graph svg");
    const rows = page.locator("#timeline tbody tr");
    const timeline = (await (await fetch(`${server.url}api/workflows/${first.workflowId}`)).json()) as { timeline: TimelineEntry[] };
    expect(await rows.count()).toBe(timeline.timeline.length);

    // The first validate step that kept a fix: tests went from failing to passing there.
    const target = timeline.timeline.find((e, i) => e.node === "validate" && i > 0 && e.keptTotal > timeline.timeline[i - 1]!.keptTotal)!;
    const started = performance.now();
    await page.click(`#timeline tbody tr[data-checkpoint="${target.checkpointId}"]`);
    await page.waitForSelector(`body[data-checkpoint="${target.checkpointId}"]`);
    const clickMs = performance.now() - started;
    await expect.poll(() => page.locator("#timeline tbody tr.selected").getAttribute("data-checkpoint")).toBe(target.checkpointId);
    expect(await page.locator("#checkpoint-title").textContent()).toContain(`step ${target.step} · after validate`);
    const state = JSON.parse((await page.locator("#state").textContent())!) as { workflowId: string; keptTotal: number };
    expect(state.workflowId).toBe(first.workflowId);
    expect(state.keptTotal).toBe(target.keptTotal);
    const diffPaths = await page.locator("#diff tbody td.path").allTextContents();
    expect(diffPaths).toContain("keptTotal");
    expect(diffPaths).toContain("lastRun.passed");
    await expect.poll(() => page.locator("#graph svg g.node.current").count()).toBe(1);
    expect(await page.locator("#graph svg g.node.visited").count()).toBeGreaterThanOrEqual(4);
    expect(await page.locator("#chart svg g.iteration").count()).toBe(first.iterations + 1);
    expect(await page.locator("#fixes .fix").count()).toBe(first.fixes.length);
    expect(await page.locator("#log tbody tr").count()).toBeGreaterThan(5);
    await page.screenshot({ path: join(artifactsDir, "inspector-checkpoint.png"), fullPage: true });
    await page.screenshot({ path: join(artifactsDir, "inspector.png") }); // the first screen: docs/inspector.png is a copy
    console.log(`checkpoint click → state and diff shown in ${Math.round(clickMs)} ms`);

    // Fork there: the files fixed later go back, the replay fixes them again in the new workflow.
    expect(await page.locator("#fork-button").isEnabled()).toBe(true);
    await page.fill("#fork-patch", '{"maxIterations": 3}');
    await page.click("#fork-button");
    await page.waitForSelector("body[data-forked]");
    const forkId = (await page.getAttribute("body", "data-forked"))!;
    expect(forkId).not.toBe(first.workflowId);
    const forkText = (await page.locator("#fork-result").textContent())!;
    expect(forkText).toContain(`forked into ${forkId} (next: validate)`);
    expect(forkText).toMatch(/restored shop\//);
    await page.waitForSelector(`body[data-replayed="${forkId}"]`, { timeout: 90_000 });
    await server.idle();
    const forked = store.getWorkflow(forkId)!;
    expect(forked.status).toBe("passed");
    expect(forked.maxIterations).toBe(3);
    const kept = store.listFixAttempts(forkId).filter((f) => f.status === "kept");
    expect(kept.length).toBe(first.fixes.filter((f) => f.status === "kept").length - target.keptTotal);
    expect(await readFile(join(project, "shop", "cart.py"), "utf8")).toContain("for item in self.items)");
    expect(await page.getAttribute("body", "data-status")).toBe("passed");
    const forkTimeline = await page.locator("#timeline tbody tr td:nth-child(2)").allTextContents();
    expect(forkTimeline[0]).toBe("fork");
    await page.screenshot({ path: join(artifactsDir, "inspector-fork.png"), fullPage: true });

    expect(external).toEqual([]);
    expect(errors).toEqual([]);
  }, 150_000);

  it("answers a fork of the final checkpoint with a 400 and a reason", async () => {
    const view = (await (await fetch(`${server.url}api/workflows/${first.workflowId}`)).json()) as { timeline: TimelineEntry[] };
    const res = await fetch(`${server.url}api/workflows/${first.workflowId}/fork`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ checkpointId: view.timeline.at(-1)!.checkpointId }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(/end of the workflow/);
  });
});
