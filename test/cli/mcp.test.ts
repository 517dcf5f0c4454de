// `redgreen mcp` as a real child process (the built CLI), driven by the MCP SDK's own client over stdio.
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { CallToolResult, Progress } from "@modelcontextprotocol/sdk/types.js";
import { toJsonSchema } from "@langchain/core/utils/json_schema";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTools } from "../../tools/index.js";
import { testPython } from "../helpers/python-env.js";
import { copyToolsFixture, openProjectStore, testProjects } from "../tools/helpers.js";
import { TARGET_KINDS, forbiddenContent, hostileOutput, outsideOf, runTargets } from "../tools/path-attacks.js";
import { binPath, runCli } from "./run-cli.js";

let shop: string;
let notes: string;
let transport: StdioClientTransport;
let client: Client;
let stderr = "";

const textOf = (r: CallToolResult): string => (r.content[0]?.type === "text" ? r.content[0].text : "");

beforeAll(async () => {
  shop = copyToolsFixture("shop");
  notes = copyToolsFixture("notes");
  // No model and no database override from the developer's environment: patterns only, the store in shop/.redgreen.
  const env = Object.fromEntries(
    Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined && !/^(REDGREEN_|OPENAI_)/.test(e[0])),
  );
  transport = new StdioClientTransport({
    command: process.execPath,
    args: [binPath, "mcp", shop, "--allow-root", notes, "--python", testPython, "--test-timeout", "5"],
    env,
    stderr: "pipe",
  });
  transport.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  client = new Client({ name: "redgreen-test", version: "1.0.0" });
  await client.connect(transport);
}, 60_000);

afterAll(async () => {
  await client.close();
  rmSync(dirname(shop), { recursive: true, force: true });
  rmSync(dirname(notes), { recursive: true, force: true });
});

describe("redgreen mcp", () => {
  it("lists every tool with the same JSON schema LangChain gives models", async () => {
    const { tools } = await client.listTools();
    const store = openProjectStore(shop);
    const projects = testProjects();
    const local = createTools({ projectRoot: shop, store, projects });
    try {
      expect(tools.map((t) => t.name)).toEqual(local.map((t) => t.name));
      for (const t of local) {
        const served = tools.find((s) => s.name === t.name)!;
        expect(served.description).toBe(t.description);
        const fromLangChain = toJsonSchema(t.schema) as { properties: Record<string, { description?: string }>; required?: string[] };
        expect(Object.keys(served.inputSchema.properties ?? {})).toEqual(Object.keys(fromLangChain.properties));
        expect(served.inputSchema.required ?? []).toEqual(fromLangChain.required ?? []);
        for (const [key, prop] of Object.entries(served.inputSchema.properties ?? {})) {
          expect((prop as { description?: string }).description).toBe(fromLangChain.properties[key]!.description);
        }
      }
    } finally {
      await projects.close();
      store.close();
    }
    expect(stderr).toContain(`redgreen mcp: serving ${shop} over stdio`);
  });

  it("run_tests returns structured results and reports progress", async () => {
    const progress: Progress[] = [];
    const r = (await client.callTool({ name: "run_tests", arguments: {} }, undefined, {
      onprogress: (p) => progress.push(p),
    })) as CallToolResult;
    expect(r.isError).toBeUndefined();
    expect(r.structuredContent).toMatchObject({ status: "failed", passed: 1, failed: 2, total: 3 });
    expect(JSON.parse(textOf(r))).toEqual(r.structuredContent);
    const failures = (r.structuredContent as { failures: { nodeId: string; errorType: string }[] }).failures;
    expect(failures.map((f) => [f.nodeId, f.errorType])).toEqual([
      ["tests/test_cart.py::test_total", "NameError"],
      ["tests/test_cart.py::test_average", "AssertionError"],
    ]);
    expect(progress.at(-1)).toMatchObject({ progress: 3, total: 3 });
  });

  it("the step tools work across calls of one session", async () => {
    const found = (await client.callTool({ name: "find_pattern_fix", arguments: { nodeId: "test_total" } })) as CallToolResult;
    const proposalId = (found.structuredContent as { proposalId: string }).proposalId;
    const applied = (await client.callTool({ name: "apply_fix", arguments: { proposalId } })) as CallToolResult;
    expect(applied.structuredContent).toMatchObject({ applied: true, files: ["shop/cart.py"] });
    const back = (await client.callTool({
      name: "rollback_fix",
      arguments: { applyId: (applied.structuredContent as { applyId: string }).applyId },
    })) as CallToolResult;
    expect(back.structuredContent).toMatchObject({ rolledBack: true });
    expect(readFileSync(`${shop}/shop/cart.py`, "utf8")).not.toContain("import math");
  });

  it("invalid arguments and faults come back as isError results", async () => {
    const invalid = (await client.callTool({ name: "analyze_failure", arguments: { nodeId: 3 } })) as CallToolResult;
    expect(invalid.isError).toBe(true);
    expect(textOf(invalid)).toMatch(/nodeId/);
    const fault = (await client.callTool({ name: "get_test_report", arguments: { runId: 4242 } })) as CallToolResult;
    expect(fault.isError).toBe(true);
    expect(fault.structuredContent).toBeUndefined();
    expect(JSON.parse(textOf(fault))).toEqual({ error: "no test run with id 4242", code: "not_found" });
    // A tool with an outputSchema gives an error's {"error","code"} as text only: the SDK client validates any structuredContent.
    const outside = (await client.callTool({ name: "fix_failing_tests", arguments: { projectPath: "/" } })) as CallToolResult;
    expect(outside.isError).toBe(true);
    expect(outside.structuredContent).toBeUndefined();
    expect(JSON.parse(textOf(outside))).toMatchObject({ code: "usage" });
  });

  it("refuses test targets outside the project and never reads a file outside it (path policy over MCP)", async () => {
    const outside = outsideOf(shop);
    try {
      const targets = runTargets(shop, outside);
      for (const kind of TARGET_KINDS) {
        const r = (await client.callTool({ name: "run_tests", arguments: { files: [targets[kind]] } })) as CallToolResult;
        expect(r.isError, kind).toBe(true);
        expect(JSON.parse(textOf(r)), kind).toMatchObject({ code: "usage", error: expect.stringMatching(/^refusing to run /) });
      }
      for (const testFile of [targets.absolute, targets.dotdot, targets.symlinked]) {
        const r = (await client.callTool({ name: "run_specific_test", arguments: { testFile, testName: "test_evil" } })) as CallToolResult;
        expect(JSON.parse(textOf(r))).toMatchObject({ code: "usage" });
      }
      expect(existsSync(outside.marker)).toBe(false);

      const parsed = (await client.callTool({
        name: "parse_test_output",
        arguments: { output: hostileOutput(shop, outside), runner: "pytest" },
      })) as CallToolResult;
      const { runId, failures } = parsed.structuredContent as { runId: number; failures: { nodeId: string }[] };
      const texts = [textOf(parsed)];
      for (const f of failures) {
        const analysis = (await client.callTool({ name: "analyze_failure", arguments: { runId, nodeId: f.nodeId } })) as CallToolResult;
        expect(analysis.isError).toBeUndefined();
        expect(analysis.structuredContent).not.toHaveProperty("hint");
        texts.push(textOf(analysis));
      }
      for (const text of texts) for (const bad of forbiddenContent(outside)) expect(text).not.toContain(bad);
    } finally {
      rmSync(`${shop}/linked`);
      outside.cleanup();
    }
  });

  it("fix_failing_tests runs the workflow graph with progress notifications and returns the summary", async () => {
    const progress: Progress[] = [];
    const started = performance.now();
    const r = (await client.callTool({ name: "fix_failing_tests", arguments: { projectPath: notes } }, undefined, {
      onprogress: (p) => progress.push(p),
    })) as CallToolResult;
    const seconds = (performance.now() - started) / 1000;
    expect(r.isError).toBeUndefined();
    const text = textOf(r);
    const workflowId = /^redgreen workflow ([\w-]+): PASSED after 1 iteration\. all tests pass$/m.exec(text)?.[1];
    expect(workflowId).toBeDefined();
    expect(text).toContain(
      "Tests: before 1 passed, 2 failed, 0 errors of 3; after 3 passed, 0 failed, 0 errors of 3. Coverage not measured.",
    );
    // Coverage is opt-in for the workflow: not asked for, not measured.
    const counts = r.structuredContent as { initial: { coverage: number | null }; final: { coverage: number | null } };
    expect([counts.initial.coverage, counts.final.coverage]).toEqual([null, null]);
    expect(text).toContain("Kept fixes (1):\n  - notes/text.py: pattern/add_import (risk low, iteration 1)");
    expect(text).toContain(`Patch: ${notes}/.redgreen/${workflowId}.patch`);
    expect(readFileSync(`${notes}/notes/text.py`, "utf8")).toMatch(/^import textwrap$/m);
    expect(readFileSync(`${notes}/.redgreen/${workflowId}.patch`, "utf8")).toContain("+import textwrap");

    // The graph's own node events, in order, as strictly increasing MCP progress.
    const messages = progress.map((p) => p.message ?? "");
    expect(messages[0]).toBe("run_tests: running the full test suite");
    expect(messages).toContain("[iteration 1/5] analyze: 2 failure(s) in 1 root cause group(s)");
    // Per-test counts are throttled (at most one per 250 ms), so only the first one is certain.
    expect(messages.some((m) => /^full suite: \d\/3 tests run, \d failed$/.test(m))).toBe(true);
    expect(messages.some((m) => /^\[iteration 1\/5\] validate: kept: fixed /.test(m))).toBe(true);
    expect(messages.at(-1)).toMatch(/^\[iteration 1\/5\] report: passed: /);
    expect(progress.map((p) => p.progress)).toEqual(progress.map((_, i) => i + 1));
    console.info(`fix_failing_tests over MCP: ${seconds.toFixed(1)} s, ${progress.length} progress notifications`);

    // The run is a real workflow in the server's store: listed by list_workflows, with checkpoints `redgreen runs` sees.
    const listed = (await client.callTool({ name: "list_workflows", arguments: { projectPath: notes } })) as CallToolResult;
    expect((listed.structuredContent as { workflows: unknown[] }).workflows).toEqual([
      expect.objectContaining({ id: workflowId, status: "passed", iterations: 1, fixes: { kept: 1, rolledBack: 0, rejected: 0 } }),
    ]);
    const runs = await runCli(["runs", notes, "--db", `${shop}/.redgreen/redgreen.db`, "--json"]);
    expect(runs.exitCode).toBe(0);
    expect(runs.stdout).toContain(workflowId!);
  }, 90_000);

  it("fix_failing_tests with coverage: true measures it on the first full run and on the run that proves green", async () => {
    // Break the notes project again (the previous call fixed it): the same deleted import.
    const file = `${notes}/notes/text.py`;
    writeFileSync(file, readFileSync(file, "utf8").replace(/^import textwrap\n/m, ""));
    const r = (await client.callTool({ name: "fix_failing_tests", arguments: { projectPath: notes, coverage: true } })) as CallToolResult;
    expect(r.isError).toBeUndefined();
    const summary = r.structuredContent as { status: string; initial: { coverage: number | null }; final: { coverage: number | null } };
    expect(summary.status).toBe("passed");
    expect(summary.initial.coverage).toBeGreaterThan(0);
    expect(summary.final.coverage).toBeGreaterThan(0);
    expect(textOf(r)).toMatch(/ Coverage \d+\.\d% → \d+\.\d%\./);
  }, 90_000);

  it("a client leaving mid-run stops the workflow cleanly (cancelled, resumable) and the server exits cleanly", async () => {
    let progressed: () => void = () => undefined;
    const firstProgress = new Promise<void>((resolve) => (progressed = resolve));
    const pending = client
      .callTool({ name: "fix_failing_tests", arguments: {} }, undefined, { onprogress: () => progressed() })
      .catch((e: unknown) => e);
    await firstProgress;
    const started = performance.now();
    await client.close();
    // The SDK's client ends stdin, waits up to 2 s for the process to exit, and only then sends SIGTERM.
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(await pending).toBeInstanceOf(Error);
    expect(stderr).toContain("redgreen mcp: closed");
    expect(stderr).not.toMatch(/^\s+at /m);
    const store = openProjectStore(shop);
    try {
      expect(store.listWorkflows({ projectPath: shop }).map((w) => w.status)).toEqual(["cancelled"]);
    } finally {
      store.close();
    }
    expect(existsSync(`${shop}/.redgreen/.gitignore`)).toBe(true);
  });
});
