// `redgreen mcp`'s server as a real child process, driven by the MCP SDK's own client over stdio.
import { readFileSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { CallToolResult, Progress } from "@modelcontextprotocol/sdk/types.js";
import { toJsonSchema } from "@langchain/core/utils/json_schema";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTools } from "../../tools/index.js";
import { copyToolsFixture, openProjectStore, testProjects } from "./helpers.js";

const register = fileURLToPath(new URL("./ts-register.mjs", import.meta.url));
const entry = fileURLToPath(new URL("./mcp-server-entry.ts", import.meta.url));

let shop: string;
let notes: string;
let transport: StdioClientTransport;
let client: Client;
let stderr = "";

const textOf = (r: CallToolResult): string => (r.content[0]?.type === "text" ? r.content[0].text : "");

beforeAll(async () => {
  shop = copyToolsFixture("shop");
  notes = copyToolsFixture("notes");
  const env = Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined));
  transport = new StdioClientTransport({ command: process.execPath, args: ["--import", register, entry, shop, notes], env, stderr: "pipe" });
  transport.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  client = new Client({ name: "redgreen-test", version: "1.0.0" });
  await client.connect(transport);
}, 60_000);

afterAll(async () => {
  await client.close();
  rmSync(shop, { recursive: true, force: true });
  rmSync(notes, { recursive: true, force: true });
});

describe("redgreen over MCP", () => {
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
  });

  it("run_tests returns structured results and reports progress", async () => {
    const progress: Progress[] = [];
    const r = (await client.callTool({ name: "run_tests", arguments: {} }, undefined, { onprogress: (p) => progress.push(p) })) as CallToolResult;
    expect(r.isError).toBeUndefined();
    expect(r.structuredContent).toMatchObject({ status: "failed", passed: 1, failed: 2, total: 3 });
    expect(JSON.parse(textOf(r))).toEqual(r.structuredContent);
    const failures = (r.structuredContent as { failures: { nodeId: string; errorType: string }[] }).failures;
    expect(failures.map((f) => [f.nodeId, f.errorType])).toEqual([
      ["tests/test_cart.py::test_total", "NameError"],
      ["tests/test_cart.py::test_average", "AssertionError"],
    ]);
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)).toMatchObject({ progress: 3, total: 3 });
  });

  it("the step tools work across calls of one session", async () => {
    const found = (await client.callTool({ name: "find_pattern_fix", arguments: { nodeId: "test_total" } })) as CallToolResult;
    const proposalId = (found.structuredContent as { proposalId: string }).proposalId;
    const applied = (await client.callTool({ name: "apply_fix", arguments: { proposalId } })) as CallToolResult;
    expect(applied.structuredContent).toMatchObject({ applied: true, files: ["shop/cart.py"] });
    const back = (await client.callTool({ name: "rollback_fix", arguments: { applyId: (applied.structuredContent as { applyId: string }).applyId } })) as CallToolResult;
    expect(back.structuredContent).toMatchObject({ rolledBack: true });
    expect(readFileSync(`${shop}/shop/cart.py`, "utf8")).not.toContain("import math");
  });

  it("invalid arguments and faults come back as isError results", async () => {
    const invalid = (await client.callTool({ name: "analyze_failure", arguments: { nodeId: 3 } })) as CallToolResult;
    expect(invalid.isError).toBe(true);
    expect(textOf(invalid)).toMatch(/nodeId/);
    const fault = (await client.callTool({ name: "get_test_report", arguments: { runId: 4242 } })) as CallToolResult;
    expect(fault.isError).toBe(true);
    expect(fault.structuredContent).toEqual({ error: "no test run with id 4242", code: "not_found" });
  });

  it("fix_failing_tests runs the injected workflow with progress and returns the summary text", async () => {
    const progress: Progress[] = [];
    const r = (await client.callTool({ name: "fix_failing_tests", arguments: { projectPath: notes } }, undefined, { onprogress: (p) => progress.push(p) })) as CallToolResult;
    expect(r.isError).toBeUndefined();
    expect(r.structuredContent).toBeUndefined();
    const text = textOf(r);
    expect(text).toMatch(/^redgreen workflow [\w-]+: PASSED after 1 iteration\./);
    expect(text).toContain("Kept fixes (1):\n  - notes/text.py: pattern/add_import");
    expect(readFileSync(`${notes}/notes/text.py`, "utf8")).toMatch(/^import textwrap$/m);
    expect(progress.map((p) => p.message)).toContain("running the test suite");
    expect(progress.map((p) => p.progress)).toEqual(progress.map((_, i) => i + 1));
  });

  it("shuts down when the client disconnects", async () => {
    await client.close();
    await expect.poll(() => stderr, { timeout: 5_000 }).toContain("redgreen mcp: closed");
  });
});
