// The inspector in real headless Chromium: a workflow really run on a copy of examples/shop, checkpoints, diffs, fork;
// and attacked as a web page would: foreign Host (DNS rebinding), foreign Origin, no token, text/plain POSTs.
import { spawn } from "node:child_process";
import { createServer } from "node:http";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
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
import { TOKEN_HEADER } from "../../src/cli/inspect/guard.js";
import { startInspectorServer } from "../../src/cli/inspect/server.js";
import type { InspectorServer } from "../../src/cli/inspect/server.js";
import type { TimelineEntry } from "../../src/cli/inspect/timeline.js";
import { createWorkflowRuntime } from "../../graph/runtime.js";
import { fixturePath, testPython } from "../helpers/python-env.js";
import { freePort } from "../helpers/free-port.js";
import { copyExampleShop, copyProject } from "../helpers/project-copy.js";
import { artifactsDir, launchBrowser, offlinePage } from "./browser.js";
import { rawRequest, treeHashes } from "./raw-http.js";
import { binPath } from "./run-cli.js";

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
  let replays = 0;
  /** A GET of the inspector's API with the token, as the page sends it. */
  const api = async <T>(path: string): Promise<T> =>
    (await (await fetch(`${server.url}${path}`, { headers: { [TOKEN_HEADER]: server.token } })).json()) as T;
  /** A checkpoint whose fork would put fixed files back (the first validate that kept a fix). */
  const keptFixCheckpoint = (timeline: TimelineEntry[]): TimelineEntry =>
    timeline.find((e, i) => e.node === "validate" && i > 0 && e.keptTotal > timeline[i - 1]!.keptTotal)!;

  /** Takes a snapshot; the returned check asserts no file changed, no workflow was created and no replay ran since. */
  const nothingHappens = (): (() => Promise<void>) => {
    const files = treeHashes(project);
    const workflows = store.listWorkflows({ limit: 1000 }).length;
    return async () => {
      await server.idle();
      expect(treeHashes(project)).toEqual(files);
      expect(store.listWorkflows({ limit: 1000 }).length).toBe(workflows);
      expect(replays).toBe(0);
    };
  };

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
    server = await inspectorOn(0);
    // rebind.test plays the attacker's DNS name after it was rebound to the loopback address.
    browser = await launchBrowser(["--host-resolver-rules=MAP rebind.test 127.0.0.1"]);
  }, 180_000);

  /** An inspector over the test's database on `port`, counting the replays it starts. */
  const inspectorOn = (port: number): Promise<InspectorServer> =>
    startInspectorServer({
      store,
      journal: createEditJournal(store.db, () => new Date().toISOString()),
      checkpointer: createCheckpointer(store),
      port,
      replay: async (id, root) => {
        replays += 1;
        const rt2 = await runtimeFor(root, dbPath);
        try {
          return await resumeWorkflow(rt2.deps, id, { checkpointer: rt2.checkpointer });
        } finally {
          await rt2.close();
        }
      },
    });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    store?.close();
    cleanup?.();
  });

  it("serves the workflow as JSON: timeline from the checkpoint history, path, fixes, log, series", async () => {
    expect(first.status).toBe("passed");
    const view = await api<{
      timeline: TimelineEntry[];
      path: string[];
      fixes: { status: string }[];
      logs: { phase: string }[];
      series: { iteration: number; passed: number; failing: number }[];
      mermaid: string;
    }>(`api/workflows/${first.workflowId}`);
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

    const missing = await fetch(`${server.url}api/workflows/nope`, { headers: { [TOKEN_HEADER]: server.token } });
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: string }).error).toBe("no workflow with id nope");
  });

  it("refuses a foreign Host, a foreign Origin, a missing or wrong token and non-JSON POSTs; a malformed URL is a 400", async () => {
    const { port, token } = server;
    const unchanged = nothingHappens();
    const { timeline } = await api<{ timeline: TimelineEntry[] }>(`api/workflows/${first.workflowId}`);
    const fork = {
      path: `/api/workflows/${first.workflowId}/fork`,
      method: "POST",
      body: JSON.stringify({ checkpointId: keptFixCheckpoint(timeline).checkpointId, patch: { maxIterations: 9 } }),
    };
    const status = async (opts: Parameters<typeof rawRequest>[1]): Promise<number> => (await rawRequest(port, opts)).status;
    const withToken = { [TOKEN_HEADER]: token };

    // DNS rebinding: the browser sends the attacker's name as Host, for the page and the API alike.
    for (const host of [`rebind.test:${port}`, `127.0.0.1:${port + 1}`, "127.0.0.1", `127.0.0.1.nip.io:${port}`, `evil.example:${port}`]) {
      expect(await status({ path: "/api/workflows", headers: { host, ...withToken } }), host).toBe(421);
      expect(await status({ path: "/", headers: { host } }), host).toBe(421);
    }
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]) {
      expect(await status({ path: "/api/workflows", headers: { host, ...withToken } }), host).toBe(200);
    }
    // Another origin, even another port on the loopback address, even with the token.
    for (const origin of ["http://evil.example", `http://127.0.0.1:${port + 1}`, "null", `https://127.0.0.1:${port}`]) {
      expect(await status({ path: "/api/workflows", headers: { origin, ...withToken } }), origin).toBe(403);
      expect(await status({ ...fork, headers: { origin, "content-type": "text/plain" } }), origin).toBe(403);
    }
    expect(await status({ path: "/api/workflows", headers: { origin: `http://127.0.0.1:${port}`, ...withToken } })).toBe(200);
    // The token: missing, wrong, a prefix, wrong case; also on a percent-encoded /api/ path and on the fork.
    for (const headers of [
      {} as Record<string, string>,
      { [TOKEN_HEADER]: "x" },
      { [TOKEN_HEADER]: token.slice(0, -1) },
      { [TOKEN_HEADER]: token.toUpperCase() },
    ]) {
      const res = await rawRequest(port, { path: `/api/workflows/${first.workflowId}`, headers });
      expect(res.status).toBe(403);
      expect(res.body).not.toContain(first.workflowId);
      expect(await status({ path: "/%61pi/workflows", headers })).toBe(403);
      expect(await status({ ...fork, headers: { ...headers, "content-type": "application/json" } })).toBe(403);
    }
    // JSON only: the content types a cross-site form or a no-cors fetch can send are refused, even with the token.
    for (const type of [
      "text/plain",
      "text/plain;charset=UTF-8",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x",
      "",
    ]) {
      expect(await status({ ...fork, headers: { ...withToken, "content-type": type } }), type).toBe(415);
    }
    expect(
      await status({
        method: "OPTIONS",
        path: "/api/workflows",
        headers: { origin: "http://evil.example", "access-control-request-method": "POST" },
      }),
    ).toBe(403);
    expect(await status({ method: "PUT", path: "/api/workflows", headers: withToken })).toBe(405);
    // Malformed URLs and escapes: a clean 400, never a 500.
    for (const path of ["/%E0%A4%A", "/api/workflows/%E0%A4%A", `/api/workflows/${first.workflowId}/checkpoints/%ZZ`, "/api/%"]) {
      const res = await rawRequest(port, { path, headers: withToken });
      expect(res.status, path).toBe(400);
      expect(JSON.parse(res.body), path).toEqual({ error: "malformed URL" });
    }
    const page = await rawRequest(port, { path: "/" });
    expect(page.headers["x-frame-options"]).toBe("DENY");
    expect(page.headers["content-security-policy"]).toBe("frame-ancestors 'none'");

    await unchanged();
  });

  it("a page from another loopback origin can neither read the API nor fork (fetch, no-cors POST, form POST)", async () => {
    const unchanged = nothingHappens();
    const { timeline } = await api<{ timeline: TimelineEntry[] }>(`api/workflows/${first.workflowId}`);
    const checkpointId = keptFixCheckpoint(timeline).checkpointId;
    const target = `http://127.0.0.1:${server.port}`;
    const forkUrl = `${target}/api/workflows/${first.workflowId}/fork`;
    const payload = JSON.stringify({ checkpointId, patch: { maxIterations: 9 } });
    const attack =
      `<!doctype html><iframe name="sink"></iframe><script>
      const out = {};
      const attempt = (name, run) => run().then((r) => { out[name] = "status " + r.status + " " + r.type; }, (e) => { out[name] = ` +
      `"blocked: " + e.name; });
      (async () => {
        await attempt("read", () => fetch(${JSON.stringify(`${target}/api/workflows`)}).then(async (r) => { out.readBody = await ` +
      `r.text(); return r; }));
        await attempt("readWithGuess", () => fetch(${JSON.stringify(`${target}/api/workflows`)}, { headers: { "X-Redgreen-Token": ` +
      `"guess" } }));
        await attempt("noCorsPost", () => fetch(${JSON.stringify(forkUrl)}, { method: "POST", mode: "no-cors", headers: { ` +
      `"content-type": "text/plain" }, body: ${JSON.stringify(payload)} }));
        await attempt("jsonPost", () => fetch(${JSON.stringify(forkUrl)}, { method: "POST", headers: { "content-type": ` +
      `"application/json" }, body: ${JSON.stringify(payload)} }));
        const form = document.createElement("form");
        form.action = ${JSON.stringify(forkUrl)}; form.method = "POST"; form.enctype = "text/plain"; form.target = "sink";
        const field = document.createElement("input");
        field.name = ${JSON.stringify(payload.slice(0, -1) + ',"pad":"')}; field.value = '"}';
        form.appendChild(field); document.body.appendChild(form);
        document.querySelector("iframe").addEventListener("load", () => { out.form = "sent"; window.results = out; }, { once: true });
        form.submit();
      })();
    </script>`;
    const evil: Server = createServer((_req, res) => res.writeHead(200, { "content-type": "text/html" }).end(attack));
    await new Promise<void>((done) => evil.listen(0, "127.0.0.1", done));
    const page = await browser.newPage();
    const seen: string[] = [];
    page.on("response", (r) => {
      if (r.url().startsWith(target)) seen.push(`${r.request().method()} ${r.status()}`);
    });
    try {
      await page.goto(`http://127.0.0.1:${(evil.address() as AddressInfo).port}/`);
      const results = (await (await page.waitForFunction(() => (globalThis as { results?: unknown }).results)).jsonValue()) as Record<
        string,
        string
      >;
      // CORS keeps every answer from the page; the no-cors POST is opaque; the form's answer lands in the frame.
      expect(results).toMatchObject({
        read: "blocked: TypeError",
        readWithGuess: "blocked: TypeError",
        noCorsPost: "status 0 opaque",
        jsonPost: "blocked: TypeError",
        form: "sent",
      });
      expect(results.readBody).toBeUndefined();
      // What the inspector answered: refusals only (the browser's own preflights are refused too).
      expect(seen.length).toBeGreaterThan(0);
      for (const s of seen) expect(s).toMatch(/ (403|405)$/);
      expect(seen).toContain("POST 403");
    } finally {
      await page.close();
      await new Promise<void>((done) => evil.close(() => done()));
    }
    await unchanged();
  });

  it("a DNS-rebinding page (the attacker's name, same port, now resolving to 127.0.0.1) gets a 421 for everything", async () => {
    const unchanged = nothingHappens();
    // The attacker's server first answers on the port (so the page is same-origin with what comes after), then the
    // name points at an inspector on that very port: the browser keeps sending the attacker's name as Host.
    const attacker: Server = createServer((_req, res) =>
      res.writeHead(200, { "content-type": "text/html", connection: "close" }).end("<title>attacker</title>"),
    );
    await new Promise<void>((done) => attacker.listen(0, "127.0.0.1", done));
    const port = (attacker.address() as AddressInfo).port;
    const page = await browser.newPage();
    let rebound: InspectorServer | undefined;
    try {
      await page.goto(`http://rebind.test:${port}/`);
      attacker.closeAllConnections();
      await new Promise<void>((done) => attacker.close(() => done()));
      rebound = await inspectorOn(port);
      const statuses = await page.evaluate(
        async ({ id, token }) => {
          const get = (path: string) => fetch(path, { headers: { "X-Redgreen-Token": token } }).then((r) => r.status);
          const body = JSON.stringify({ checkpointId: "x" });
          const post = fetch(`/api/workflows/${id}/fork`, {
            method: "POST",
            headers: { "content-type": "application/json", "X-Redgreen-Token": token },
            body,
          });
          return [await get("/api/workflows"), await get(`/api/workflows/${id}`), await get("/"), await post.then((r) => r.status)];
        },
        { id: first.workflowId, token: rebound.token },
      );
      // Even a page that somehow knew the token is refused: the Host names the attacker.
      expect(statuses).toEqual([421, 421, 421, 421]);
    } finally {
      await page.close();
      await rebound?.close();
    }
    await unchanged();
  });

  it("shows a clicked checkpoint's state and its diff in Chromium, offline, and forks and replays from it", async () => {
    const { page, external, errors } = await offlinePage(browser);
    await page.goto(`${server.pageUrl}&workflow=${first.workflowId}`);
    await page.waitForSelector(`body[data-loaded="${first.workflowId}"]`);
    // The page keeps the token for its API calls and takes it out of the address bar.
    expect(page.url()).toBe(`${server.url}?workflow=${first.workflowId}`);
    await page.waitForSelector("#graph svg");
    const rows = page.locator("#timeline tbody tr");
    const timeline = await api<{ timeline: TimelineEntry[] }>(`api/workflows/${first.workflowId}`);
    expect(await rows.count()).toBe(timeline.timeline.length);

    // The first validate step that kept a fix: tests went from failing to passing there.
    const target = keptFixCheckpoint(timeline.timeline);
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
    expect(replays).toBe(1);
    const forked = store.getWorkflow(forkId)!;
    expect(forked.status).toBe("passed");
    expect(forked.maxIterations).toBe(3);
    const kept = store.listFixAttempts(forkId).filter((f) => f.status === "kept");
    expect(kept.length).toBe(first.fixes.filter((f) => f.status === "kept").length - target.keptTotal);
    expect(await readFile(join(project, "shop", "cart.py"), "utf8")).toContain("for item in self.items)");
    expect(await page.getAttribute("body", "data-status")).toBe("passed");
    // The fork's final status without a reload: the stop panel, its reason and the workflow list.
    expect(await page.locator("#stop-status").textContent()).toBe("passed");
    const forkStop = (await api<{ stop: { status: string; reason: string } }>(`api/workflows/${forkId}`)).stop;
    expect(forkStop.status).toBe("passed");
    expect(forkStop.reason).not.toBe("");
    expect(await page.locator("#stop-reason").textContent()).toBe(forkStop.reason);
    expect(await page.locator(`#workflow option[value="${forkId}"]`).textContent()).toContain(" · passed · ");
    expect(await page.locator("#llm-calls").textContent()).toBe("no model call was made");
    const forkTimeline = await page.locator("#timeline tbody tr td:nth-child(2)").allTextContents();
    expect(forkTimeline[0]).toBe("fork");
    await page.screenshot({ path: join(artifactsDir, "inspector-fork.png"), fullPage: true });

    expect(external).toEqual([]);
    expect(errors).toEqual([]);
  }, 150_000);

  it("redgreen inspect prints the URL with a fresh token, which the API requires", async () => {
    const tokens: string[] = [];
    for (let start = 0; start < 2; start++) {
      const child = spawn(process.execPath, [binPath, "inspect", first.workflowId, "--db", dbPath, "--port", "0"], {
        stdio: ["ignore", "pipe", "pipe"],
      });
      try {
        const printed = await new Promise<string>((resolve, reject) => {
          let out = "";
          child.stdout.on("data", (c: Buffer) => {
            out += c.toString();
            const url = /^redgreen inspector: (\S+)$/m.exec(out)?.[1];
            if (url !== undefined) resolve(url);
          });
          child.once("exit", (code) => reject(new Error(`inspect exited with ${code}: ${out}`)));
        });
        const url = new URL(printed);
        expect(url.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
        expect(url.searchParams.get("workflow")).toBe(first.workflowId);
        const token = url.searchParams.get("token")!;
        expect(token).toMatch(/^[\w-]{43}$/);
        tokens.push(token);
        expect((await fetch(`${url.origin}/api/workflows`, { headers: { [TOKEN_HEADER]: token } })).status).toBe(200);
        expect((await fetch(`${url.origin}/api/workflows`)).status).toBe(403);
      } finally {
        child.kill("SIGINT");
        await new Promise((done) => child.once("close", done));
      }
    }
    expect(tokens[0]).not.toBe(tokens[1]);
  });

  it("answers a fork of the final checkpoint with a 400 and a reason", async () => {
    const view = await api<{ timeline: TimelineEntry[] }>(`api/workflows/${first.workflowId}`);
    const res = await fetch(`${server.url}api/workflows/${first.workflowId}/fork`, {
      method: "POST",
      headers: { "content-type": "application/json", [TOKEN_HEADER]: server.token },
      body: JSON.stringify({ checkpointId: view.timeline.at(-1)!.checkpointId }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(/end of the workflow/);
  });

  it("shows a run a dead model ended as error with its cause", async () => {
    const red = copyProject(fixturePath("cli", "red"));
    try {
      const baseUrl = `http://127.0.0.1:${await freePort()}/v1`;
      const rt = await createWorkflowRuntime({
        projectRoot: red.root,
        python: testPython,
        db: dbPath,
        env: {},
        cwd: red.root,
        model: "m",
        baseUrl,
      });
      let dead: RunSummary;
      try {
        dead = await runWorkflow(rt.deps, { projectRoot: red.root });
      } finally {
        await rt.close();
      }
      const { page, errors } = await offlinePage(browser);
      await page.goto(`${server.pageUrl}&workflow=${dead.workflowId}`);
      await page.waitForSelector(`body[data-loaded="${dead.workflowId}"]`);
      expect(await page.getAttribute("body", "data-status")).toBe("error");
      const summary = (await page.textContent("#summary")) ?? "";
      expect(summary.startsWith(`error (model unreachable at ${baseUrl}: connection refused) · 1 iteration(s)`), summary).toBe(true);
      expect(errors).toEqual([]);
    } finally {
      red.cleanup();
    }
  }, 120_000);
});
