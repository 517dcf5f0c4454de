// The sub-agent contract over MCP: start/poll, cancel, timeout and disconnect, structured results and usage errors,
// driven by the real MCP SDK client over stdio against the built `redgreen mcp` on a slow pytest project.
import { existsSync, readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { ErrorCode, McpError } from "@modelcontextprotocol/sdk/types.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RunSummarySchema } from "../../src/domain/index.js";
import { createTools, formatRunSummary, StartFixOutputSchema, WorkflowViewSchema } from "../../tools/index.js";
import type { WorkflowView } from "../../tools/index.js";
import { testPython } from "../helpers/python-env.js";
import { binPath, runCli } from "../cli/run-cli.js";
import { copyToolsFixture, openProjectStore, testProjects } from "./helpers.js";

const FIXED = ["notes/calc.py", "notes/text.py"];
const original = (file: string): Buffer => readFileSync(join(dirname(binPath), "..", "test", "fixtures", "tools", "slow", file));
const textOf = (r: CallToolResult): string => (r.content[0]?.type === "text" ? r.content[0].text : "");
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface Served {
  client: Client;
  stderr: () => string;
}

/** `redgreen mcp` on `root` (the database in root/.redgreen), other roots allowed, no model, with a default-options SDK client. */
async function serve(root: string, others: string[] = []): Promise<Served> {
  const env = Object.fromEntries(
    Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined && !/^(REDGREEN_|OPENAI_)/.test(e[0])),
  );
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [binPath, "mcp", root, ...others.flatMap((o) => ["--allow-root", o]), "--python", testPython],
    env,
    stderr: "pipe",
  });
  let stderr = "";
  transport.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const client = new Client({ name: "redgreen-subagent-test", version: "1.0.0" });
  await client.connect(transport);
  return { client, stderr: () => stderr };
}

const view = async (client: Client, workflowId: string): Promise<WorkflowView> => {
  const r = (await client.callTool({ name: "get_workflow", arguments: { workflowId } })) as CallToolResult;
  expect(r.isError, textOf(r)).toBeUndefined();
  return WorkflowViewSchema.parse(r.structuredContent);
};

/** Polls get_workflow until `done` holds (every 100 ms); returns every view seen. */
async function pollUntil(
  client: Client,
  workflowId: string,
  done: (v: WorkflowView) => boolean,
  limitMs = 150_000,
): Promise<WorkflowView[]> {
  const seen: WorkflowView[] = [];
  const deadline = Date.now() + limitMs;
  for (;;) {
    const v = await view(client, workflowId);
    seen.push(v);
    if (done(v)) return seen;
    if (Date.now() > deadline) throw new Error(`workflow ${workflowId} never got there: ${JSON.stringify(v)}`);
    await sleep(100);
  }
}

/** Once one fix is kept and the other is on disk being proven: the file of the one being proven. */
function secondFixPending(root: string, v: WorkflowView): string | undefined {
  if (v.status !== "running" || v.fixes.kept !== 1) return undefined;
  if (!FIXED.every((f) => readFileSync(join(root, f), "utf8").includes("import "))) return undefined;
  const kept = keptFiles(root);
  return FIXED.find((f) => !kept.has(f));
}

/** Files whose kept fix is recorded in the server's store. */
function keptFiles(root: string): Set<string> {
  const store = openProjectStore(root);
  try {
    const wf = store.listWorkflows({ limit: 1 })[0];
    return new Set(
      wf
        ? store
            .listFixAttempts(wf.id)
            .filter((a) => a.status === "kept")
            .map((a) => a.file)
        : [],
    );
  } finally {
    store.close();
  }
}

/** Files at the last kept state: a kept fix's file has its import, every other file is byte for byte the original. */
function expectAtKeptState(root: string, kept: readonly string[]): void {
  for (const f of FIXED) {
    if (kept.includes(f)) expect(readFileSync(join(root, f), "utf8"), f).toMatch(/^import (math|textwrap)$/m);
    else expect(readFileSync(join(root, f)), f).toEqual(original(f));
  }
}

const projects: string[] = [];
const copy = (): string => {
  const p = copyToolsFixture("slow");
  projects.push(p);
  return p;
};

let home: string;
let polled: string;
let cancelled: string;
let timedOut: string;
let server: Served;

beforeAll(async () => {
  home = copy();
  polled = copy();
  cancelled = copy();
  timedOut = copy();
  server = await serve(home, [polled, cancelled, timedOut]);
}, 60_000);

afterAll(async () => {
  await server.client.close();
  for (const p of projects) rmSync(dirname(p), { recursive: true, force: true });
});

describe("structured results and schemas over MCP", () => {
  it("publishes each tool's real input schema and the output schemas", async () => {
    const { tools } = await server.client.listTools();
    const byName = new Map(tools.map((t) => [t.name, t]));
    // Every tool has one; the SDK client validates each structuredContent against it, and defineTool parses every result with it.
    expect(tools.filter((t) => t.outputSchema?.type !== "object").map((t) => t.name)).toEqual([]);
    expect(tools).toHaveLength(15);
    expect(byName.get("fix_failing_tests")!.outputSchema!.required).toEqual(
      expect.arrayContaining(["workflowId", "status", "fixes", "patchPath"]),
    );
    expect(byName.get("get_workflow")!.inputSchema).toMatchObject({ required: ["workflowId"], additionalProperties: false });
    expect(byName.get("start_fix")!.inputSchema.properties).toEqual(byName.get("fix_failing_tests")!.inputSchema.properties);
  });

  it("invalid arguments come back as the same {error, code: usage} result the LangChain tool gives", async () => {
    const store = openProjectStore(home);
    const local = createTools({ projectRoot: home, store, projects: testProjects() });
    try {
      const cases: [string, Record<string, unknown>][] = [
        ["analyze_failure", { nodeId: 3 }],
        ["run_tests", { files: ["tests"], bogus: true }],
        ["get_workflow", {}],
        ["fix_failing_tests", { projectPath: 7, maxIterations: 0 }],
        ["start_fix", { maxIterations: "five" }],
      ];
      for (const [name, args] of cases) {
        const r = (await server.client.callTool({ name, arguments: args })) as CallToolResult;
        expect(r.isError, name).toBe(true);
        const served = JSON.parse(textOf(r)) as { error: string; code: string };
        expect(served.code, name).toBe("usage");
        expect(served.error, name).toMatch(new RegExp(`^invalid arguments for ${name}: `));
        expect(served, name).toEqual(JSON.parse((await local.find((t) => t.name === name)!.invoke(args)) as string));
      }
    } finally {
      store.close();
    }
  });

  it("get_workflow reads only workflows of the served projects", async () => {
    const store = openProjectStore(home);
    const foreign = store.createWorkflow({ projectPath: "/srv/someone-else", status: "running" });
    store.close();
    for (const workflowId of [foreign.id, "no-such-workflow"]) {
      const r = (await server.client.callTool({ name: "get_workflow", arguments: { workflowId } })) as CallToolResult;
      expect(r.isError).toBe(true);
      expect(JSON.parse(textOf(r))).toEqual({ error: `no workflow ${workflowId} in the projects this server serves`, code: "not_found" });
    }
  });
});

describe("long workflows over MCP", () => {
  it("start_fix returns at once; get_workflow (default client options) shows progress, then the whole run summary", async () => {
    const started = performance.now();
    const r = (await server.client.callTool({ name: "start_fix", arguments: { projectPath: polled } })) as CallToolResult;
    const startMs = performance.now() - started;
    const { workflowId } = StartFixOutputSchema.parse(r.structuredContent);
    expect(r.structuredContent).toEqual({ workflowId, status: "running", projectPath: polled });
    expect(JSON.parse(textOf(r))).toEqual(r.structuredContent);

    const seen = await pollUntil(server.client, workflowId, (v) => v.status !== "running");
    const running = seen.filter((v) => v.status === "running");
    // The suite takes seconds per run: many polls see it running, with progress that only grows.
    expect(running.length).toBeGreaterThan(3);
    expect(running.some((v) => v.progress.message !== null && v.progress.steps > 0)).toBe(true);
    const steps = running.map((v) => v.progress.steps);
    expect(steps).toEqual([...steps].sort((a, b) => a - b));
    const last = seen.at(-1)!;
    expect(last).toMatchObject({
      workflowId,
      status: "passed",
      inThisProcess: true,
      fixes: { kept: 2, rolledBack: 0, rejected: 0 },
      error: null,
    });
    const summary = RunSummarySchema.parse(last.result);
    expect(summary).toMatchObject({ workflowId, status: "passed", final: { passed: 3, failed: 0 } });
    expect(
      summary.fixes
        .filter((f) => f.status === "kept")
        .map((f) => f.file)
        .sort(),
    ).toEqual(FIXED);
    // The text is derived from the structured result.
    const final = (await server.client.callTool({ name: "get_workflow", arguments: { workflowId } })) as CallToolResult;
    expect(textOf(final)).toBe(formatRunSummary(summary));
    console.info(`start_fix answered in ${startMs.toFixed(0)} ms; ${seen.length} polls until the workflow ended`);
  }, 180_000);

  it("a fix_failing_tests call the client cancels stops the workflow cleanly at the last kept fix", async () => {
    const controller = new AbortController();
    let workflowApplying = 0;
    const call = server.client.callTool({ name: "fix_failing_tests", arguments: { projectPath: cancelled } }, undefined, {
      signal: controller.signal,
      onprogress: (p) => {
        // The second fix is on disk and being proven (the first one was kept): cancel in the middle of its proof.
        if (/validate: applying /.test(p.message ?? "") && ++workflowApplying === 2)
          setTimeout(() => controller.abort("the supervisor gave up"), 300);
      },
    });
    expect(
      await call.then(
        () => "answered",
        () => "rejected",
      ),
    ).toBe("rejected");
    expect(workflowApplying).toBe(2);
    const store = openProjectStore(home);
    const deadline = Date.now() + 60_000;
    let wf = store.listWorkflows({ projectPath: cancelled })[0];
    while (wf?.status === "running" && Date.now() < deadline) {
      await sleep(100);
      wf = store.listWorkflows({ projectPath: cancelled })[0];
    }
    if (wf === undefined) throw new Error("no workflow was stored");
    const kept = store
      .listFixAttempts(wf.id)
      .filter((a) => a.status === "kept")
      .map((a) => a.file);
    store.close();
    expect(wf.status).toBe("cancelled");
    expect(kept).toHaveLength(1);
    expectAtKeptState(cancelled, kept);
    // The patch holds exactly the kept fix.
    const patch = readFileSync(join(cancelled, ".redgreen", `${wf.id}.patch`), "utf8");
    expect(patch).toContain(`+++ b/${kept[0]}`);
    expect(patch.match(/^\+\+\+ /gm)).toHaveLength(1);
    // get_workflow knows it too (a blocking call's workflow is no job of this server, so there is no result here).
    expect(await view(server.client, wf.id)).toMatchObject({ status: "cancelled", inThisProcess: false, fixes: { kept: 1 }, result: null });
  }, 180_000);

  it("a client request timeout (MCP error -32001) cancels the workflow the same way", async () => {
    const call = server.client.callTool({ name: "fix_failing_tests", arguments: { projectPath: timedOut } }, undefined, { timeout: 1_000 });
    await expect(call).rejects.toSatisfy((e: unknown) => e instanceof McpError && e.code === ErrorCode.RequestTimeout);
    const store = openProjectStore(home);
    try {
      for (let i = 0; store.listWorkflows({ projectPath: timedOut })[0]?.status !== "cancelled"; i++) {
        if (i > 600) throw new Error(`still ${store.listWorkflows({ projectPath: timedOut })[0]?.status}`);
        await sleep(100);
      }
    } finally {
      store.close();
    }
    // Cancelled during the first run of the suite: nothing was kept, every file is the original.
    expectAtKeptState(timedOut, []);
  }, 90_000);

  it("cancel_workflow stops a start_fix workflow mid-proof; `redgreen resume` finishes it", async () => {
    const root = copy();
    const own = await serve(root);
    try {
      const started = (await own.client.callTool({ name: "start_fix", arguments: {} })) as CallToolResult;
      const { workflowId } = StartFixOutputSchema.parse(started.structuredContent);
      let pending: string | undefined;
      await pollUntil(own.client, workflowId, (v) => (pending = secondFixPending(root, v)) !== undefined || v.status !== "running");
      expect(pending).toBeDefined();
      const r = (await own.client.callTool({ name: "cancel_workflow", arguments: { workflowId } })) as CallToolResult;
      const stopped = WorkflowViewSchema.parse(r.structuredContent);
      expect(stopped).toMatchObject({ status: "cancelled", fixes: { kept: 1 }, result: { status: "cancelled", workflowId } });
      expect(textOf(r)).toBe(formatRunSummary(stopped.result!));
      expect(textOf(r)).toMatch(new RegExp(`^redgreen workflow ${workflowId}: CANCELLED`));
      const kept = stopped.result!.fixes.filter((f) => f.status === "kept").map((f) => f.file);
      expect(kept).not.toContain(pending);
      expectAtKeptState(root, kept);
      expect(readFileSync(stopped.result!.patchPath!, "utf8")).toContain(`+++ b/${kept[0]}`);
      const again = (await own.client.callTool({ name: "cancel_workflow", arguments: { workflowId } })) as CallToolResult;
      expect(JSON.parse(textOf(again))).toMatchObject({ code: "usage" });

      await own.client.close();
      const resumed = await runCli(["resume", workflowId, root, "--json", "--quiet"]);
      expect(resumed.exitCode, resumed.stderr).toBe(0);
      const summary = RunSummarySchema.parse(JSON.parse(resumed.stdout));
      expect(summary).toMatchObject({ workflowId, status: "passed" });
      expect(
        summary.fixes
          .filter((f) => f.status === "kept")
          .map((f) => f.file)
          .sort(),
      ).toEqual(FIXED);
    } finally {
      await own.client.close();
    }
  }, 240_000);

  it("a client that disconnects stops its start_fix workflow cleanly (pending fix restored) and the server exits", async () => {
    const root = copy();
    const own = await serve(root);
    const started = (await own.client.callTool({ name: "start_fix", arguments: {} })) as CallToolResult;
    const { workflowId } = StartFixOutputSchema.parse(started.structuredContent);
    // The first fix is on disk and being proven (nothing kept yet).
    await pollUntil(
      own.client,
      workflowId,
      (v) => v.status !== "running" || (v.fixes.kept === 0 && FIXED.some((f) => readFileSync(join(root, f), "utf8").includes("import "))),
    );
    await own.client.close();
    expect(own.stderr()).toContain("redgreen mcp: closed");
    expect(own.stderr()).not.toMatch(/^\s+at /m);
    const store = openProjectStore(root);
    let kept: string[];
    try {
      expect(store.getWorkflow(workflowId)?.status).toBe("cancelled");
      kept = store
        .listFixAttempts(workflowId)
        .filter((a) => a.status === "kept")
        .map((a) => a.file);
    } finally {
      store.close();
    }
    // Whatever was kept before the client left stays, and the fix in proof is rolled back byte for byte.
    expect(kept.length).toBeLessThan(FIXED.length);
    expectAtKeptState(root, kept);
    expect(existsSync(join(root, ".redgreen", `${workflowId}.patch`))).toBe(kept.length > 0);
  }, 120_000);
});
