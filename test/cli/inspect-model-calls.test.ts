// The inspector in headless Chromium on a workflow that called a (loopback, fake) model: why it stopped, its notes, each
// model call redacted and shown as text even when the answer is hostile HTML; a replay that fails shows as "error";
// and the graph drawn without the optional mermaid package.
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { createCheckpointer } from "../../graph/checkpointer.js";
import { describeWorkflowGraph } from "../../graph/visualize.js";
import { runWorkflow } from "../../graph/run.js";
import type { RunSummary } from "../../src/domain/index.js";
import { createSecretRedactor } from "../../src/fixers/llm/redact.js";
import { TOKEN_HEADER } from "../../src/cli/inspect/guard.js";
import { svgHtmlPage, workflowGraphSvg } from "../../src/cli/inspect/graph-svg.js";
import { startInspectorServer } from "../../src/cli/inspect/server.js";
import type { InspectorOptions, InspectorServer } from "../../src/cli/inspect/server.js";
import type { TimelineEntry } from "../../src/cli/inspect/timeline.js";
import { createWorkflowRuntime } from "../../graph/runtime.js";
import { createEditJournal } from "../../src/store/edit-journal.js";
import { openStore } from "../../src/store/index.js";
import { createLlmCallRepository } from "../../src/store/llm-calls.js";
import { llmCallInput } from "../helpers/llm-call.js";
import type { Store } from "../../src/store/index.js";
import { startOpenAiServer } from "../helpers/openai-server.js";
import type { OpenAiTestServer } from "../helpers/openai-server.js";
import { testPython } from "../helpers/python-env.js";
import { artifactsDir, launchBrowser, offlinePage } from "./browser.js";
import { copyFixture } from "./run-cli.js";

const KEY = "sk-proj-EnVkQ7rT2mX9pL4sW8vB1ST4UV7WX0YZ3";
const OWN_KEY = "sk-Vd83LqZ0pXw4Rt6Ym1Jh";
const PASSWORD = "Pa\\ssw0rd-Qx7!zK";
/** A GET of the inspector's API with the token, as the page sends it. */
const getJson = async (server: InspectorServer, path: string): Promise<unknown> =>
  (await fetch(`${server.url}${path}`, { headers: { [TOKEN_HEADER]: server.token } })).json();
/** The model's answer to the tests it cannot fix: markup that would run if the page parsed it, and the key in clear. */
const HOSTILE = `I cannot fix this one. <script>window.pwned = 1</script><img src=x onerror="window.pwned = 2"> the key is ${KEY}`;

describe("redgreen inspect: stop reason, notes and model calls", () => {
  let model: OpenAiTestServer;
  let store: Store;
  let summary: RunSummary;
  let browser: Browser;
  const servers: InspectorServer[] = [];

  beforeAll(async () => {
    const root = copyFixture("leaky");
    // Every answer is unusable: the workflow asks again, then stops with a note quoting the answer.
    model = await startOpenAiServer({ fallback: { type: "text", content: HOSTILE } });
    const dbPath = join(root, ".redgreen", "redgreen.db");
    const env = { SHOP_API_KEY: KEY, SHOP_DB_PASSWORD: PASSWORD };
    const rt = await createWorkflowRuntime({
      projectRoot: root,
      python: testPython,
      db: dbPath,
      env,
      cwd: root,
      model: "test-model",
      baseUrl: model.url,
      apiKey: OWN_KEY,
      options: { coverage: false },
    });
    try {
      summary = await runWorkflow(rt.deps, { projectRoot: root, maxIterations: 3 }, { checkpointer: rt.checkpointer });
    } finally {
      await rt.close();
    }
    // The inspector's own redactor knows the environment's secrets, as `redgreen inspect` does.
    store = openStore(dbPath, { redactor: createSecretRedactor({ env, apiKey: OWN_KEY }) });
    browser = await launchBrowser();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    for (const s of servers) await s.close();
    store?.close();
    await model?.close();
  });

  const inspector = async (extra: Partial<InspectorOptions> = {}): Promise<InspectorServer> => {
    const server = await startInspectorServer({
      store,
      journal: createEditJournal(store.db, () => new Date().toISOString()),
      checkpointer: createCheckpointer(store),
      port: 0,
      ...extra,
    });
    servers.push(server);
    return server;
  };

  it("shows the stop status, its reason and the notes, and every model call redacted, the hostile answer as text", async () => {
    expect(model.requests.length).toBeGreaterThanOrEqual(2);
    expect(summary.status).toBe("stuck");
    expect(summary.notes.some((n) => n.includes("<script>window.pwned = 1</script>"))).toBe(true);
    expect(summary.reason).not.toBe("");
    const server = await inspector();
    const { page, external, errors } = await offlinePage(browser);
    await page.goto(`${server.pageUrl}&workflow=${summary.workflowId}`);
    await page.waitForSelector(`body[data-loaded="${summary.workflowId}"]`);

    expect(await page.locator("#stop-status").textContent()).toBe(summary.status.replace("_", " "));
    expect(await page.locator("#stop-reason").textContent()).toBe(summary.reason);
    expect(await page.locator("#notes li").allTextContents()).toEqual(summary.notes);
    expect(await page.locator("#notes script, #notes img").count()).toBe(0);

    const calls = page.locator("#llm-calls details.call");
    expect(await calls.count()).toBe(model.requests.length);
    const view = (await getJson(server, `api/workflows/${summary.workflowId}`)) as {
      llmCalls: { id: number; model: string; outcome: string; completion: string | null; nodeId: string | null; promptTokens: number }[];
    };
    expect(view.llmCalls.length).toBe(model.requests.length);
    const hostile = view.llmCalls.find((c) => c.completion?.includes("<script>"))!;
    expect(hostile.outcome).toBe("invalid_answer");
    expect(hostile.completion).toContain("[REDACTED:SHOP_API_KEY]");
    // Open every call: the prompt and the answer are there, the hostile markup as literal text.
    for (const d of await calls.all()) await d.locator("summary").click();
    const one = page.locator(`#llm-calls details[data-call="${hostile.id}"]`);
    expect(await one.locator("summary").textContent()).toContain(`test-model @ ${model.url} · attempt 1`);
    expect(await one.locator("summary").textContent()).toContain(hostile.nodeId!);
    expect(await one.locator("summary").textContent()).toMatch(/\d+ ms · \d+ tokens \(\d+ prompt, \d+ answer/);
    const answer = '<script>window.pwned = 1</script><img src=x onerror="window.pwned = 2">';
    expect(await one.locator("pre.answer").textContent()).toContain(answer);
    expect(await one.locator("pre.prompt").textContent()).toContain("You fix failing Python tests");
    expect(await page.locator("#llm-calls script, #llm-calls img").count()).toBe(0);
    // The page's own two scripts (Mermaid and the app), nothing more.
    expect(await page.locator("script").count()).toBe(2);
    expect(await page.evaluate(() => (globalThis as { pwned?: number }).pwned)).toBeUndefined();
    // No secret anywhere on the page, as text or as markup.
    const html = await page.content();
    for (const secret of [KEY, OWN_KEY, KEY.slice(8, 20)]) expect(html).not.toContain(secret);
    expect(html).toContain("[REDACTED:SHOP_API_KEY]");
    await page.screenshot({ path: join(artifactsDir, "inspector-model-calls.png"), fullPage: true });
    expect(external).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("a fork whose replay fails ends as error, and the page says so without a reload", async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((done) => (release = done));
    const server = await inspector({
      replay: async () => {
        await gate;
        throw new Error("the test's replay broke");
      },
    });
    const { page, errors } = await offlinePage(browser);
    await page.goto(`${server.pageUrl}&workflow=${summary.workflowId}`);
    await page.waitForSelector(`body[data-loaded="${summary.workflowId}"]`);
    const { timeline } = (await getJson(server, `api/workflows/${summary.workflowId}`)) as { timeline: TimelineEntry[] };
    const target = timeline.find((e) => e.node === "analyze" && e.next.length > 0)!;
    await page.click(`#timeline tbody tr[data-checkpoint="${target.checkpointId}"]`);
    await page.waitForSelector(`body[data-checkpoint="${target.checkpointId}"]`);
    await page.click("#fork-button");
    await page.waitForSelector("body[data-forked]");
    const forkId = (await page.getAttribute("body", "data-forked"))!;
    await page.waitForSelector(`body[data-loaded="${forkId}"]`);
    expect(await page.locator("#stop-status").textContent()).toBe("running");
    expect(await page.locator("#stop-reason").textContent()).toBe("replaying…");
    release();
    await page.waitForSelector(`body[data-replayed="${forkId}"]`, { timeout: 30_000 });
    expect(store.getWorkflow(forkId)!.status).toBe("error");
    expect(await page.locator("#stop-status").textContent()).toBe("error");
    expect(await page.locator("#stop-reason").textContent()).toBe("the replay failed: the test's replay broke");
    expect(await page.locator(`#workflow option[value="${forkId}"]`).textContent()).toContain(" · error · ");
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  it("draws the graph as SVG, offline and without errors, when the mermaid package is not installed", async () => {
    const server = await inspector({ mermaidBundle: () => null });
    const asset = await fetch(`${server.url}assets/mermaid.min.js`);
    expect(asset.status).toBe(404);
    const { page, external, errors } = await offlinePage(browser);
    const requested: string[] = [];
    page.on("request", (r) => requested.push(new URL(r.url()).pathname));
    await page.goto(`${server.pageUrl}&workflow=${summary.workflowId}`);
    await page.waitForSelector(`body[data-loaded="${summary.workflowId}"]`);
    const graph = page.locator("#graph svg.workflow-graph");
    expect(await graph.locator("g.node").count()).toBe(8);
    expect(await graph.locator("g.node").evaluateAll((ns) => ns.map((n) => n.getAttribute("data-id")))).toEqual(
      expect.arrayContaining(["__start__", "run_tests", "analyze", "pattern_fix", "llm_fix", "validate", "report", "__end__"]),
    );
    expect(await graph.locator("path.edge").count()).toBe(15);
    // The path the workflow took: the model was asked, its answers were unusable, nothing reached validate.
    const visited = await graph.locator("g.node.visited").evaluateAll((ns) => ns.map((n) => n.getAttribute("data-id")));
    expect(visited.sort()).toEqual(["__end__", "__start__", "analyze", "llm_fix", "pattern_fix", "report", "run_tests"]);
    expect(await graph.locator('path.edge.taken[data-edge="pattern_fix->llm_fix"]').count()).toBe(1);
    expect(await graph.locator('path.edge.taken[data-edge="llm_fix->run_tests"]').count()).toBe(1);
    expect(await graph.locator('path.edge.taken[data-edge="llm_fix->validate"]').count()).toBe(0);
    expect(await graph.locator("text.edge-label").allTextContents()).toContain("tests fail");
    // Every node is drawn inside the picture with a real size.
    const box = (await graph.boundingBox())!;
    for (const n of await graph.locator("g.node rect").all()) {
      const r = (await n.boundingBox())!;
      expect(r.width).toBeGreaterThan(20);
      expect(r.x).toBeGreaterThanOrEqual(box.x - 1);
      expect(r.x + r.width).toBeLessThanOrEqual(box.x + box.width + 1);
    }
    // A checkpoint's drawing marks where the workflow was.
    const rows = page.locator("#timeline tbody tr");
    const checkpoint = (await rows.nth(3).getAttribute("data-checkpoint"))!;
    await rows.nth(3).click();
    await page.waitForSelector(`body[data-checkpoint="${checkpoint}"]`);
    await expect.poll(() => page.locator("#graph svg g.node.current").count()).toBe(1);
    await page.screenshot({ path: join(artifactsDir, "inspector-svg-graph.png"), fullPage: true });
    expect(requested).not.toContain("/assets/mermaid.min.js");
    expect(external).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("graph --format html's page without mermaid: the SVG drawing alone, no script, every label escaped", async () => {
    const description = await describeWorkflowGraph();
    // A hostile label (a future route's words) stays text.
    const label = '<img src=x onerror="window.pwned = 3">';
    const hostile = { ...description, edges: description.edges.map((e, i) => (i === 1 ? { ...e, label } : e)) };
    const html = svgHtmlPage("redgreen <workflow> graph", workflowGraphSvg(hostile));
    expect(html).not.toContain("<script");
    const { page, external, errors } = await offlinePage(browser);
    await page.setContent(html);
    expect(await page.title()).toBe("redgreen <workflow> graph");
    expect(await page.locator("#diagram svg g.node").count()).toBe(description.nodes.length);
    expect(await page.locator("#diagram svg path.edge").count()).toBe(description.edges.length);
    expect(await page.locator("#diagram svg g.node.visited").count()).toBe(0);
    expect(await page.locator("img").count()).toBe(0);
    expect(await page.locator("#diagram svg text.edge-label").allTextContents()).toContain(label);
    expect(await page.evaluate(() => (globalThis as { pwned?: number }).pwned)).toBeUndefined();
    expect(external).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("redacts a model call again with the inspector's secrets: a value the recording process did not know is not shown", async () => {
    // A call recorded by a process whose environment lacked the password (and that matched no catalog pattern).
    const blind = openStore(store.path, { redactor: createSecretRedactor({ env: {}, findSecrets: () => [] }) });
    const call = createLlmCallRepository(blind, () => new Date().toISOString()).record(
      llmCallInput({
        workflowId: summary.workflowId,
        nodeId: "test_app.py::late",
        outcome: "invalid_answer",
        prompt: `db password ${PASSWORD}`,
        completion: PASSWORD,
      }),
    );
    blind.close();
    expect(call.completion).toBe(PASSWORD);
    const server = await inspector();
    const { page, errors } = await offlinePage(browser);
    await page.goto(`${server.pageUrl}&workflow=${summary.workflowId}`);
    await page.waitForSelector(`body[data-loaded="${summary.workflowId}"]`);
    const shown = page.locator(`#llm-calls details[data-call="${call.id}"]`);
    await shown.locator("summary").click();
    expect(await shown.locator("pre.prompt").textContent()).toBe("db password [REDACTED:SHOP_DB_PASSWORD]");
    expect(await shown.locator("pre.answer").textContent()).toBe("[REDACTED:SHOP_DB_PASSWORD]");
    expect(await page.content()).not.toContain("ssw0rd-Qx7");
    expect(errors).toEqual([]);
    await page.close();
  });
});
